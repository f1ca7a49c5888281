-- cjson: a 16 MB string of quotes doubles in size when escaped
local s = cjson.encode(string.rep('"', 16 * 1024 * 1024))
return {#s, s:sub(1, 5)}
