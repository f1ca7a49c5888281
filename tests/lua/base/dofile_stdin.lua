-- dofile and loadfile without a name read standard input (empty here)
print(select("#", dofile()))
local f = loadfile()
print(type(f), select("#", f()))
