-- encode_max_depth(3)
cjson.encode_max_depth(3)
local a = cjson.encode({{{1}}})
local ok, e = pcall(cjson.encode, {{{{1}}}})
return {a, e, cjson.encode_max_depth()}
