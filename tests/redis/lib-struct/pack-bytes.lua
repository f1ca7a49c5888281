-- b and B: signed and unsigned chars
return {struct.pack("b", -1), struct.pack("B", 255), struct.pack("bB", 127, 128)}
