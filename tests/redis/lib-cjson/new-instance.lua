-- cjson.new() gives an instance with its own settings
local j = cjson.new()
j.encode_max_depth(2)
local ok = pcall(j.encode, {{{1}}})
return {tostring(ok), cjson.encode({{{1}}}), cjson.encode_max_depth(), j.encode_max_depth()}
