-- newproxy creates userdata with or without a fresh metatable, or sharing another's
local p = newproxy(false)
print(type(p), getmetatable(p))
local q = newproxy(true)
print(type(getmetatable(q)))
getmetatable(q).tag = "shared"
local r = newproxy(q)
print(getmetatable(r).tag, getmetatable(r) == getmetatable(q))
print(pcall(newproxy, {}))
print(pcall(newproxy, p))
getmetatable(q).__index = function(_, k) return k .. "!" end
print(q.hello, r.world)
getmetatable(q).__tostring = function() return "proxy" end
print(tostring(q), tostring(r))
