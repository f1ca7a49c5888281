-- a Lua sequence is a JSON array
return cjson.encode({1, "two", true, false, {3}})
