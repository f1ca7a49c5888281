-- ipairs and pairs require tables in 5.1 (no __pairs / __ipairs)
print(pcall(ipairs))
print(pcall(ipairs, nil))
print(pcall(ipairs, "str"))
print(pcall(pairs, 5))
local t = setmetatable({}, { __pairs = function() error("not used in 5.1") end, __index = function(_, i) if i < 4 then return i * 10 end end })
local n = 0
for k, v in pairs(t) do n = n + 1 end
print(n)
for i, v in ipairs(t) do io.write(i, "=", v, " ") end
print()
