-- a non-sequence number key makes a map
return cmsgpack.pack({[100] = "hundred"})
