-- 256 and 65535 are uint16
return {cmsgpack.pack(256), cmsgpack.pack(65535)}
