-- a module chunk receives the module name as its only vararg
local base = os.tmpname()
local f = assert(io.open(base .. "_argmod.lua", "w"))
f:write("return { n = select('#', ...), name = (...) }")
f:close()
package.path = base .. "_?.lua"
local m = require("argmod")
print(m.n, m.name)
os.remove(base .. "_argmod.lua")
os.remove(base)
