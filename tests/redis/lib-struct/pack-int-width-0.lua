-- i0 is not a valid size
return struct.pack("i0", 1)
