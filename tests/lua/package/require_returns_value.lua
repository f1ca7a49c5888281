-- what require returns and stores for modules returning values, nothing, or setting loaded
package.preload.num = function() return 42 end
package.preload.str = function() return "module string" end
package.preload.none = function() end
print(require("num"), require("str"), require("none"))
print(package.loaded.num, package.loaded.str, package.loaded.none)
package.loaded.num = nil
package.preload.num = function() return 43 end
print(require("num"))
