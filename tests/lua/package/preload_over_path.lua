-- package.preload is consulted before package.path
local base = os.tmpname()
local f = assert(io.open(base .. "_dual.lua", "w"))
f:write("return 'from file'")
f:close()
package.path = base .. "_?.lua"
package.preload.dual = function() return "from preload" end
print(require("dual"))
os.remove(base .. "_dual.lua")
os.remove(base)
