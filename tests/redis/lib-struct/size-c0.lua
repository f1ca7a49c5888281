-- size of c0
return struct.size("c0")
