-- print is absent
print("x")
