-- dots in module names become directory separators in the searched path
local base = os.tmpname()
local file = base .. "_pkg_sub.lua"
package.path = base .. "_?.lua"
print(pcall(require, "pkg.sub") and "found" or "not found as pkg/sub")
local f = assert(io.open(file, "w"))
f:write("return 'module ' .. ...")
f:close()
package.path = base .. "_pkg_?.lua"
print(require("sub"))
os.remove(file)
os.remove(base)
