x = 1e+5e
