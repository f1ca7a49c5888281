-- a metatable on _G supplies defaults for undefined globals and logs new ones
local created = {}
setmetatable(_G, {
  __index = function(_, k) return "default:" .. k end,
  __newindex = function(t, k, v) created[#created + 1] = k rawset(t, k, v) end,
})
print(undefined_a, undefined_b)
newglobal1 = 1
newglobal2 = 2
newglobal1 = 10
print(table.concat(created, " "), newglobal1)
setmetatable(_G, nil)
print(undefined_a)
