-- a UTF-16 surrogate pair becomes one 4-byte UTF-8 sequence
local s = cjson.decode('"\\ud83d\\ude00"')
return {#s, string.byte(s, 1, -1)}
