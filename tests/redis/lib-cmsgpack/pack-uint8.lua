-- 128 and 255 are uint8
return {cmsgpack.pack(128), cmsgpack.pack(255)}
