-- uncaught: pcall itself called without arguments
print(pcall(pcall))
pcall()
