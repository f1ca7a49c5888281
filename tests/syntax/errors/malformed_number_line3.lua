

x = 9z
