-- a numeric string where a number is needed
return struct.pack(">i", "258")
