--[== not long
x = 1
