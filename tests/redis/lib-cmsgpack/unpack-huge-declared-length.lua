-- an array32 claiming four billion elements
return cmsgpack.unpack("\221\255\255\255\255")
