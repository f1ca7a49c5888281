x = 1and
