-- 'local function' can call itself; 'local f = function' cannot see itself
local function a(n) if n == 0 then return "a done" end return a(n - 1) end
print(a(3))
local b = function(n) if n == 0 then return "b done" end return b(n - 1) end
print(pcall(b, 3))
local c
c = function(n) if n == 0 then return "c done" end return c(n - 1) end
print(c(3))
