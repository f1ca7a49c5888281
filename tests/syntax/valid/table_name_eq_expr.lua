t = {x = y == z}
