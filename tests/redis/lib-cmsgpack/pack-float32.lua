-- a fraction exactly representable in 32 bits is packed as a float
return {cmsgpack.pack(1.5), cmsgpack.pack(-0.25), cmsgpack.pack(1e10 + 0.5)}
