-- true, false and nil
return {cmsgpack.pack(true), cmsgpack.pack(false), cmsgpack.pack(nil)}
