-- unpack of a table
return cmsgpack.unpack({})
