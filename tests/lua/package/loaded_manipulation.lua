-- writing package.loaded directly makes require return that value
package.path = "./no_such_dir_q/?.lua"
package.cpath = "./no_such_dir_q/?.so"
package.loaded.fake = { fake = true }
print(require("fake").fake)
package.loaded.fake = false
print(pcall(require, "fake"))
package.loaded.string2 = string
print(require("string2") == string)
