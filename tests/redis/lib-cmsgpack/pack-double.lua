-- fractions that need 64 bits are packed as doubles
return {cmsgpack.pack(0.1), cmsgpack.pack(1/3), cmsgpack.pack(1e300)}
