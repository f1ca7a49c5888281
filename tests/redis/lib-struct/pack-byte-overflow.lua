-- values too large for a byte are cut to their low bits
return {struct.pack("B", 256), struct.pack("b", 200), struct.pack("B", -1)}
