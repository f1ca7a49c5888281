-- -1 and -32 are negative fixints
return {cmsgpack.pack(-1), cmsgpack.pack(-32)}
