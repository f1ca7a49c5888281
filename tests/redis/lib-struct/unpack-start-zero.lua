-- a start position of 0
return {struct.unpack("b", "\1\2\3", 0)}
