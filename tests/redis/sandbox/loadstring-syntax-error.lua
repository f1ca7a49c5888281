-- loadstring reports syntax errors with the chunk text as name
local f, e = loadstring("return return")
return e
