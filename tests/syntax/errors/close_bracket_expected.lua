x = t[1
