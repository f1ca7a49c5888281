-- raw UTF-8 and high bytes pass through decode
local s = cjson.decode('"caf\195\169 \255"')
return {#s, s}
