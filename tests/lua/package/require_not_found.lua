-- the error message of a failed require lists every place that was searched
package.path = "./no_such_dir_a/?.lua;./no_such_dir_b/?/init.lua"
package.cpath = "./no_such_dir_c/?.so"
print(pcall(require, "missing_mod"))
print(pcall(require, "missing.sub"))
print(pcall(require))
print(pcall(require, {}))
