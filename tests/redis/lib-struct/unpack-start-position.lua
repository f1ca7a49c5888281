-- unpack from a position inside the string
return {struct.unpack("b", "\1\2\3", 2)}
