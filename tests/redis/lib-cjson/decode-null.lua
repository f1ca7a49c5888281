-- null decodes to cjson.null
local v = cjson.decode("null")
local t = cjson.decode("[null, 1]")
return {tostring(v == cjson.null), type(v), tostring(t[1] == cjson.null), #t}
