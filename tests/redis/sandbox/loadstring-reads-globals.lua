-- a loaded chunk sees the same globals
local f = loadstring("return type(redis), type(print)")
return f()
