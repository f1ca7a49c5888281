-- decode of a Lua number converts it to text first
return cjson.decode(42)
