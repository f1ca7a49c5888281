-- s with an embedded NUL
return struct.pack("s", "a\0b")
