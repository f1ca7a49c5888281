t.x = 1
