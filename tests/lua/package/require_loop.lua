-- a module that requires itself while loading reports a loop
package.preload.selfish = function() return require("selfish") end
print(pcall(require, "selfish"))
package.preload.a_mod = function() return { b = require("b_mod") } end
package.preload.b_mod = function() return pcall(require, "a_mod") and "no loop" or "loop seen in b" end
print(require("a_mod").b)
