-- -129 and -32768 are int16
return {cmsgpack.pack(-129), cmsgpack.pack(-32768)}
