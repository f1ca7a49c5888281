-- cjson: 100000 nested objects
return {pcall(cjson.decode, string.rep('{"a":', 100000) .. "1" .. string.rep("}", 100000))}
