-- uncaught: output written with io.write before the error is kept
io.write("partial ")
io.write("output\n")
for i = 1, 3 do print("row", i) end
local n = nil + 1
