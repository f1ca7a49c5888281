-- an array missing its elements
return cmsgpack.unpack("\146\1")
