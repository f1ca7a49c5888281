-- a loader that returns a non-function, and an empty loaders table
package.preload.weird = nil
local saved = package.loaders
package.loaders = {}
print(pcall(require, "nothing_here"))
package.loaders = saved
print(pcall(function() package.loaders = nil return require("x_mod") end))
package.loaders = saved
