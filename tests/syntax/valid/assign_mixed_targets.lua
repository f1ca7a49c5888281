local l
l, g, t.f, t[1] = 1, 2, 3, 4
