local a, b, c = f()
