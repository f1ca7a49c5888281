-- os.getenv returns nil for unset variables and strings for set ones
print(os.getenv("FERROUS_LUA_SURELY_UNSET_VARIABLE_12345"))
print(type(os.getenv("PATH")))
print(os.getenv("TZ"))
print(pcall(os.getenv))
print(pcall(os.getenv, {}))
