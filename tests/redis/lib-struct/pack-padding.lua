-- x is one zero byte of padding
return struct.pack("bxxb", 1, 2)
