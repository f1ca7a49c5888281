-- size of a variable-length format
return struct.size("s")
