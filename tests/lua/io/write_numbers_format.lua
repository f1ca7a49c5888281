-- numbers written to files use the %.14g format
local f = io.tmpfile()
f:write(1, " ", 0.1, " ", 1/3, " ", 1e100, " ", -0.0 + 0, " ", 2^53, " ", 100)
f:seek("set")
print(f:read("*a"))
print(pcall(f.write, f, {}))
print(pcall(f.write, f, nil))
print(pcall(f.write, f, true))
f:close()
