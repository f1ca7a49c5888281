-- 0 and 127 are positive fixints
return {cmsgpack.pack(0), cmsgpack.pack(127)}
