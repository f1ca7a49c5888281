-- replacing cmsgpack.pack is refused
cmsgpack.pack = nil
