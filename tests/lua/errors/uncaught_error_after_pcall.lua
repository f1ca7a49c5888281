-- uncaught: a caught error first, then an uncaught one
print(pcall(error, "caught"))
error("not caught")
