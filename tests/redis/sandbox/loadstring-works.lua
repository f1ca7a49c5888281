-- loadstring compiles and runs text chunks
local f = loadstring("return 1 + 2")
return f()
