-- a table with one string key is a fixmap
return cmsgpack.pack({key = "value"})
