-- s reads up to a NUL
return {struct.unpack("ss", "ab\0cd\0")}
