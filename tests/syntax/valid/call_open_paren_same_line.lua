local x = f (g)()
