-- unpack returns every value in the string
return {cmsgpack.unpack("\1\2\163abc\195")}
