-- encode_keep_buffer settings and encoding with each
local a = cjson.encode_keep_buffer()
cjson.encode_keep_buffer(false)
local s1 = cjson.encode({1, 2})
local b = cjson.encode_keep_buffer()
cjson.encode_keep_buffer(true)
return {tostring(a), tostring(b), s1, cjson.encode({3})}
