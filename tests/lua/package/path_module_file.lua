-- require finds a module file through package.path and passes the name to the chunk
local base = os.tmpname()
local file = base .. "_mymodule.lua"
local f = assert(io.open(file, "w"))
f:write("local name = ...\nloads = (loads or 0) + 1\nreturn { greet = function() return 'hello from ' .. name end }\n")
f:close()
package.path = base .. "_?.lua"
local m = require("mymodule")
print(m.greet(), loads)
print(require("mymodule") == m, loads)
package.loaded.mymodule = nil
local m2 = require("mymodule")
print(m2 ~= m, loads)
os.remove(file)
os.remove(base)
