-- the f option returns the running function; levels beyond the stack give nil
local function me() return debug.getinfo(1, "f").func end
print(me() == me)
local function caller() return debug.getinfo(2, "f").func end
local function wrapper() local r = caller() return r end
print(wrapper() == wrapper)
print(debug.getinfo(1, "f").func ~= nil)
local n = 0
while debug.getinfo(n + 1) do n = n + 1 end
print("stack depth from main", n)
