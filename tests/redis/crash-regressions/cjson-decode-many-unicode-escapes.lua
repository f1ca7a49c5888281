-- cjson: 100000 \u escapes, three bytes each when decoded
local s = cjson.decode('"' .. string.rep("\\uffff", 100000) .. '"')
return {#s, string.byte(s, 1, 3)}
