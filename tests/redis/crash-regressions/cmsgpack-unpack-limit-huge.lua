-- cmsgpack: huge limits and offsets
return {pcall(cmsgpack.unpack_limit, "\1\2", 2^31), pcall(cmsgpack.unpack_one, "\1\2", 2^53), pcall(cmsgpack.unpack_limit, "\1\2", 1, 2^31)}
