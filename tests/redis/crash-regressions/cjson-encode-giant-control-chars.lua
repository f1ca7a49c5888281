-- cjson: a 4 MB string of control bytes grows six times when escaped
local s = cjson.encode(string.rep("\1", 4 * 1024 * 1024))
return {#s, s:sub(1, 13)}
