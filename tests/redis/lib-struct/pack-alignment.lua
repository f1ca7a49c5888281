-- !4 aligns each field to its size, up to 4
return {struct.pack("!4bi", 1, 2), struct.pack("!4bh", 1, 2), struct.pack("!4bd", 1, 2)}
