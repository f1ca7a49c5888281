-- cmsgpack: a map that contains itself
local t = {}
t.me = t
return cmsgpack.pack(t)
