-- -32769 and -2^31 are int32
return {cmsgpack.pack(-32769), cmsgpack.pack(-2^31)}
