-- a table with array and hash parts is a map (traversal order)
return cmsgpack.pack({10, 20, x = 30})
