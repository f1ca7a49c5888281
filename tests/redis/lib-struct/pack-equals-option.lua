-- '=' (native order) is not an option in this struct library
return struct.pack("=h", 1)
