-- a string where a number is needed
return struct.pack("i", "abc")
