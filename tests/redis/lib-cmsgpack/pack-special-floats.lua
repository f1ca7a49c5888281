-- infinities, NaN and negative zero
return {cmsgpack.pack(1/0), cmsgpack.pack(-1/0), cmsgpack.pack(0/0), cmsgpack.pack(-0)}
