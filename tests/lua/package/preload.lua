-- package.preload functions run once on the first require and receive the module name
local runs = 0
package.preload["my.mod"] = function(name, ...)
  runs = runs + 1
  return { name = name, nargs = select("#", ...) }
end
local m = require("my.mod")
print(m.name, m.nargs, runs)
print(require("my.mod") == m, runs)
print(package.loaded["my.mod"] == m)
package.preload.returns_nothing = function() end
print(require("returns_nothing"), package.loaded.returns_nothing)
package.preload.returns_false = function() return false end
print(require("returns_false"), package.loaded.returns_false)
package.preload.sets_loaded = function(name) package.loaded[name] = "set by module" end
print(require("sets_loaded"))
