-- module() creates a global table with _NAME, _M and _PACKAGE and makes it the environment
package.preload["shapes.circle"] = function()
  module("shapes.circle")
  function area(r) return 3 * r * r end
  local hidden = "local"
  visible = "global in module"
end
require("shapes.circle")
print(type(shapes), type(shapes.circle), shapes.circle.area(2), shapes.circle.visible)
print(shapes.circle._NAME, shapes.circle._PACKAGE, shapes.circle._M == shapes.circle)
print(package.loaded["shapes.circle"] == shapes.circle, area, visible)
