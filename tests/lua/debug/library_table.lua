-- the debug library holds exactly the 5.1 functions
local names = {}
for k, v in pairs(debug) do names[#names + 1] = k .. ":" .. type(v) end
table.sort(names)
print(table.concat(names, " "))
