-- spaces in a format are ignored
return struct.pack("> i2 i2", 1, 2)
