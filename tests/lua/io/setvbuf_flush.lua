-- setvbuf modes and flush return true; bad modes are rejected
local f = io.tmpfile()
print(f:setvbuf("no"), f:setvbuf("full", 1024), f:setvbuf("line"))
print(pcall(f.setvbuf, f, "weird"))
print(f:flush(), io.flush())
print(io.stdout:setvbuf("line"))
f:close()
