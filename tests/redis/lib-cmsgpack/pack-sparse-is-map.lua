-- a sequence with a hole is a map
return cmsgpack.pack({[1] = "a", [3] = "c"})
