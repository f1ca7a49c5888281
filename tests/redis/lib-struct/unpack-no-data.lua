-- unpack with no data argument
return struct.unpack("b")
