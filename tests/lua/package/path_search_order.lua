-- package.path templates are tried in order; the first existing file wins
local base = os.tmpname()
local function write(name, body) local f = assert(io.open(name, "w")) f:write(body) f:close() end
write(base .. "_b_order.lua", "return 'from b'")
write(base .. "_a_order.lua", "return 'from a'")
package.path = base .. "_missing_?.lua;" .. base .. "_a_?.lua;" .. base .. "_b_?.lua"
print(require("order"))
package.loaded.order = nil
package.path = base .. "_b_?.lua;" .. base .. "_a_?.lua"
print(require("order"))
os.remove(base .. "_a_order.lua")
os.remove(base .. "_b_order.lua")
os.remove(base)
