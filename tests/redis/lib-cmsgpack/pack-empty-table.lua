-- an empty table is an empty array
return cmsgpack.pack({})
