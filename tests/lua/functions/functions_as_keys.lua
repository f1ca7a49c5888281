-- functions, tables and coroutines as table keys keep identity
local f1, f2 = function() end, function() end
local t = { [f1] = "one", [f2] = "two", [print] = "print" }
print(t[f1], t[f2], t[print], t[function() end])
local k = {}
t[k] = "table key"
print(t[k], t[{}])
local co = coroutine.create(f1)
t[co] = "thread key"
print(t[co])
local n = 0
for key, v in pairs(t) do n = n + 1 end
print(n)
