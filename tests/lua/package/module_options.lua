-- module() applies option functions in order and reuses existing tables
existing = { kept = true }
package.preload.existing = function()
  module("existing", function(m) m.opt1 = "first" end, function(m) m.opt2 = m.opt1 .. "+second" end)
end
require("existing")
print(existing.kept, existing.opt1, existing.opt2, existing._NAME)
not_table = 5
package.preload.not_table = function() module("not_table") end
print(pcall(require, "not_table"))
