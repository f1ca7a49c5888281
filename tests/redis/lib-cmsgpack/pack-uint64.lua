-- 2^32 and 2^53 are uint64
return {cmsgpack.pack(2^32), cmsgpack.pack(2^53)}
