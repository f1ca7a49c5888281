-- a float key
return cmsgpack.pack({[0.5] = 1})
