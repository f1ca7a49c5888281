-- a 3-byte signed integer
return {struct.unpack("<i3", "\255\255\255"), struct.unpack("<i3", "\1\0\128")}
