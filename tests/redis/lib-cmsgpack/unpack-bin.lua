-- bin8, bin16 and bin32 become strings
return {cmsgpack.unpack("\196\2ab"), cmsgpack.unpack("\197\0\1c"), cmsgpack.unpack("\198\0\0\0\1d")}
