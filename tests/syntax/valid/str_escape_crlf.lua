x = "line1\
line2"
y = 1
