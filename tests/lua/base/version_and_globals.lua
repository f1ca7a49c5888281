-- _VERSION and the names of all base functions in _G
print(_VERSION)
local names = {}
for k, v in pairs(_G) do
  if type(v) == "function" then names[#names + 1] = k end
end
table.sort(names)
print(table.concat(names, " "))
local libs = {}
for k, v in pairs(_G) do if type(v) == "table" and k ~= "_G" then libs[#libs + 1] = k end end
table.sort(libs)
print(table.concat(libs, " "))
