-- -33 and -128 are int8
return {cmsgpack.pack(-33), cmsgpack.pack(-128)}
