-- file:write returns true so calls cannot be chained in 5.1; io.write works the same
local f = io.tmpfile()
print(f:write("a"), f:write("b", "c"))
print(pcall(function() return f:write("x"):write("y") end))
f:seek("set")
print(f:read("*a"))
f:close()
