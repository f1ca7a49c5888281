-- file:lines and io.lines iterate over lines without their newlines
local name = os.tmpname()
local f = assert(io.open(name, "w"))
f:write("first\n\nthird\r\nlast")
f:close()
f = assert(io.open(name))
for l in f:lines() do io.write("[", l, "]") end
print()
f:close()
local n = 0
for l in io.lines(name) do n = n + 1 end
print(n)
print(pcall(io.lines, "no_such_file_for_lines.txt"))
local it = io.lines(name)
print(it(), it(), it(), it(), it())
print(pcall(it))
os.remove(name)
