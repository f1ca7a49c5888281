-- io.output switches the default output; io.write goes to the current one
local name = os.tmpname()
local f = assert(io.open(name, "w"))
local old = io.output()
io.output(f)
io.write("to file 1\n")
print("print still goes to stdout")
io.output(old)
io.write("back on stdout\n")
f:close()
for l in io.lines(name) do print("file:", l) end
os.remove(name)
