x = [[
line1
line2
]]
print(x)
