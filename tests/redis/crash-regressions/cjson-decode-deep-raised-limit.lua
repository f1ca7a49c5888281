-- cjson: deep nesting with the depth limit raised to a million (Lua's stack stops it)
cjson.decode_max_depth(1000000)
return {pcall(cjson.decode, string.rep("[", 100000) .. string.rep("]", 100000))}
