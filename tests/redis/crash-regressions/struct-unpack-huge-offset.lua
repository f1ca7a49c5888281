-- struct: unpack with offsets far past the data and below 1
return {pcall(struct.unpack, "b", "x", 2^53), pcall(struct.unpack, "b", "x", -5), pcall(struct.unpack, "b", "x", 2^31)}
