-- a custom loader added to package.loaders is used for unknown modules
table.insert(package.loaders, 2, function(name)
  if name:match("^virtual%.") then
    return function(modname) return { name = modname, kind = "virtual" } end
  end
  return "\n\tno virtual module '" .. name .. "'"
end)
local m = require("virtual.thing")
print(m.name, m.kind)
package.path = "./no_such_dir_p/?.lua"
package.cpath = "./no_such_dir_p/?.so"
print(pcall(require, "other"))
