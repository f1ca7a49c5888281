-- the largest uint64 becomes a float
return tostring(cmsgpack.unpack("\207\255\255\255\255\255\255\255\255"))
