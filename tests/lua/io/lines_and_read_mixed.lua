-- mixing lines iteration with read calls on the same file
local f = io.tmpfile()
f:write("1\n2\n3\n4\n5\n")
f:seek("set")
local it = f:lines()
print(it(), f:read("*l"), it(), f:read("*n"), it(), it(), it())
f:close()
