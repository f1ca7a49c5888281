-- float32 and float64
return {tostring(cmsgpack.unpack("\202\63\192\0\0")), tostring(cmsgpack.unpack("\203\63\185\153\153\153\153\153\154"))}
