-- package.loaded holds the standard libraries; require returns them
local names = {}
for k, v in pairs(package.loaded) do names[#names + 1] = k .. ":" .. type(v) end
table.sort(names)
print(table.concat(names, " "))
print(require("string") == string, require("math") == math, package.loaded._G == _G)
print(require("_G") == _G, require("package") == package)
