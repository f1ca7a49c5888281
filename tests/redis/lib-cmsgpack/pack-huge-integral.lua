-- integral values beyond 64 bits
return {cmsgpack.pack(2^64), cmsgpack.pack(-2^63), cmsgpack.pack(2^63)}
