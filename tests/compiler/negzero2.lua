local a = 0
print(0*-1, -0, 0/-1)
