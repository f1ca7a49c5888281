-- unpack returns the values and the next position
return {struct.unpack(">i2i2", "\0\1\255\254")}
