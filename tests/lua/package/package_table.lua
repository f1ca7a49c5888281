-- the package table's fields and the four standard loaders
local names = {}
for k, v in pairs(package) do names[#names + 1] = k .. ":" .. type(v) end
table.sort(names)
print(table.concat(names, " "))
print(#package.loaders, type(package.loaders[1]), type(package.loaders[4]))
print(string.format("%q", package.config))
print(type(package.path), type(package.cpath))
