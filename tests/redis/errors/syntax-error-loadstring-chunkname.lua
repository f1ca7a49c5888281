-- loadstring with a chunk name uses it in the message
local f, e = loadstring("x = = 1", "mychunk")
return e
