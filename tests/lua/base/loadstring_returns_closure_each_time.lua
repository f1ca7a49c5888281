-- every loadstring call compiles a new function; chunks can keep state in upvalues
local src = "local n = 0 return function() n = n + 1 return n end"
local f1 = loadstring(src)()
local f2 = loadstring(src)()
print(f1(), f1(), f2(), f1 == f2)
local g = loadstring("return ...")
print(g(1, 2), g())
