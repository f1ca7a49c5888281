-- empty object and empty array both become empty tables
local a = cjson.decode("{}")
local b = cjson.decode("[]")
return {type(a), type(b), #a, #b, tostring(next(a)), cjson.encode(a), cjson.encode(b)}
