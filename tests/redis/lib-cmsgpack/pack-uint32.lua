-- 65536 and 2^32-1 are uint32
return {cmsgpack.pack(65536), cmsgpack.pack(2^32 - 1)}
