t = {a b}
