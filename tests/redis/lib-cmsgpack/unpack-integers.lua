-- every integer width unpacked
return {cmsgpack.unpack("\127"), cmsgpack.unpack("\204\255"), cmsgpack.unpack("\205\1\0"), cmsgpack.unpack("\206\0\1\0\0"),
  cmsgpack.unpack("\207\0\0\0\1\0\0\0\0"), cmsgpack.unpack("\255"), cmsgpack.unpack("\208\128"), cmsgpack.unpack("\209\128\0"),
  cmsgpack.unpack("\210\128\0\0\0"), cmsgpack.unpack("\211\255\255\255\255\255\255\255\254")}
