-- cjson: a self-referencing table with the depth limit raised
cjson.encode_max_depth(1000000)
local t = {}
t.self = t
return {pcall(cjson.encode, t)}
