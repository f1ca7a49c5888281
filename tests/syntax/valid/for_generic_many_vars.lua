for a, b, c, d, e in f() do end
