-- os.tmpname, os.clock and os.difftime return values of fixed types
local n = os.tmpname()
print(type(n), #n > 0)
os.remove(n)
print(type(os.clock()), os.clock() >= 0)
print(os.difftime(10, 4), os.difftime(5), os.difftime(0, 2.5))
print(pcall(os.difftime))
print(pcall(os.difftime, "x"))
