-- _VERSION is Lua 5.1
return _VERSION
