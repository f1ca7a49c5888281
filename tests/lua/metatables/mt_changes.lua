-- changing a metatable's fields takes effect immediately for every table using it
local mt = {}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
print(a.x)
mt.__index = { x = "now" }
print(a.x, b.x)
mt.__index = nil
print(a.x)
setmetatable(a, nil)
mt.__index = { x = "only b" }
print(a.x, b.x)
