-- local tables are writable
local t = {}
t.a = 1
rawset(t, "b", 2)
return {t.a, t.b}
