x = -a
y = - -a
z = -2 ^ 2
