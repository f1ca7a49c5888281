-- \u0000 decodes to a NUL byte
local s = cjson.decode('"a\\u0000b"')
return {#s, string.byte(s, 2)}
