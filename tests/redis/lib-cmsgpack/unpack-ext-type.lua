-- extension types are not supported
return cmsgpack.unpack("\212\1\2")
