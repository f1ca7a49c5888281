-- decode_max_depth(2)
cjson.decode_max_depth(2)
local a = cjson.decode('[[1]]')
local ok, e = pcall(cjson.decode, '[[[1]]]')
local ok2, e2 = pcall(cjson.decode, '{"a":{"b":{}}}')
return {a[1][1], e, e2, cjson.decode_max_depth()}
