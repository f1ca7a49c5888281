-- a NUL byte in the middle of the source
local f, e = loadstring("return 1\0 + 2")
return {type(f), tostring(e), f and f() or "no function"}
