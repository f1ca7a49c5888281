-- -2^31-1 and -2^53 are int64
return {cmsgpack.pack(-2^31 - 1), cmsgpack.pack(-2^53)}
