-- fractional values in integer fields
return {struct.pack("b", 1.9), struct.pack("b", -1.9), struct.pack(">i", 2.5)}
