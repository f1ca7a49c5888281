-- package.seeall lets module code see globals through __index
package.preload.withall = function()
  module("withall", package.seeall)
  function show() return type(print) .. " " .. tostring(math.pi > 3) end
end
package.preload.without = function()
  module("without")
  function show() return type(print) end
end
require("withall")
require("without")
print(withall.show())
print(pcall(without.show))
local t = {}
package.seeall(t)
print(getmetatable(t).__index == _G)
print(pcall(package.seeall, 1))
