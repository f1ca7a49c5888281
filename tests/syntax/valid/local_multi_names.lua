local a, b, c
