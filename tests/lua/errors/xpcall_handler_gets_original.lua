-- the xpcall handler receives the original error value, positions included
local function h(e) return type(e) .. ":" .. tostring(type(e) == "table" and e.k or e) end
print(xpcall(function() error({ k = "table value" }) end, h))
print(xpcall(function() error("string value") end, h))
print(xpcall(function() error("no position", 0) end, h))
print(xpcall(function() error() end, h))
print(xpcall(function() local x = {} .. 1 end, h))
