-- module() with dotted names creates intermediate tables and sets _PACKAGE
package.preload["a.b.c"] = function() module("a.b.c") value = "deep" end
require("a.b.c")
print(type(a), type(a.b), a.b.c.value, a.b.c._NAME, a.b.c._PACKAGE)
package.preload.top = function() module("top") end
require("top")
print(top._NAME, top._PACKAGE == "", top._M == top)
