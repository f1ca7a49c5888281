-- a short sequence is a fixarray
return cmsgpack.pack({1, 2, "three", true})
