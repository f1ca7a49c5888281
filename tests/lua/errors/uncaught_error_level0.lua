-- uncaught: error with level 0 has no position
print("about to fail")
error("plain message", 0)
