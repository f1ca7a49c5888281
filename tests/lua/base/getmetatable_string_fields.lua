-- the string metatable has only __index
local mt = getmetatable("")
local keys = {}
for k in pairs(mt) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, " "), mt.__index == string)
