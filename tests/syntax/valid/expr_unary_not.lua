x = not a
y = not not a
