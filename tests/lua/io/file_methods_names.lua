-- file handles share one metatable with the 5.1 methods
local f = io.tmpfile()
local mt = getmetatable(f)
local names = {}
for k in pairs(mt.__index) do names[#names + 1] = k end
table.sort(names)
print(table.concat(names, " "))
print(type(mt.__gc), type(mt.__tostring), mt.__index == mt)
f:close()
local lib = {}
for k, v in pairs(io) do lib[#lib + 1] = k .. ":" .. (io.type(v) or type(v)) end
table.sort(lib)
print(table.concat(lib, " "))
