-- 0xc1 is never used
return cmsgpack.unpack("\193")
