-- package.loadlib exists and fails for a library that does not exist
local f, msg, where = package.loadlib("./no_such_library_here.so", "luaopen_x")
print(f, type(msg), where)
