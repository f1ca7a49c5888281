-- unpack of a number converts it to text
return {cmsgpack.unpack(5)}
