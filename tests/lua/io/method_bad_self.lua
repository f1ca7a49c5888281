-- file methods called on values that are not files
local f = io.tmpfile()
print(pcall(f.read, {}))
print(pcall(f.write, "x"))
print(pcall(f.close, 1))
print(pcall(f.lines))
f:close()
