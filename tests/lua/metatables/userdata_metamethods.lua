-- userdata from newproxy support __index, __newindex, __call, arithmetic, __concat and comparisons
local store = {}
local u = newproxy(true)
local mt = getmetatable(u)
mt.__index = function(_, k) return store[k] or ("no " .. k) end
mt.__newindex = function(_, k, v) store[k] = v end
mt.__call = function(self, a) return "called with " .. tostring(a) end
mt.__add = function(a, b) return "add" end
mt.__concat = function(a, b) return "concat" end
mt.__lt = function(a, b) return true end
mt.__le = function(a, b) return false end
mt.__eq = function(a, b) return true end
u.x = 5
print(u.x, u.y, u(9), u + 1, 1 + u, u .. "s", "s" .. u)
local w = newproxy(u)
print(u < w, u <= w, u == w, u ~= w, u == u)
print(pcall(function() return u < 1 end))
print(pcall(function() return u .. nil end))
print(type(u), rawequal(u, w))
