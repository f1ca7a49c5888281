-- a start position beyond the data
return {struct.unpack("b", "\1\2\3", 10)}
