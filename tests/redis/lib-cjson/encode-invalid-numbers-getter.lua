-- encode_invalid_numbers with no argument returns the setting
local a = cjson.encode_invalid_numbers()
cjson.encode_invalid_numbers("null")
local b = cjson.encode_invalid_numbers()
cjson.encode_invalid_numbers(true)
local c = cjson.encode_invalid_numbers()
return {tostring(a), tostring(b), tostring(c)}
