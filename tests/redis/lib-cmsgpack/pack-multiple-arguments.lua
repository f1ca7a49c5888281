-- several arguments are packed one after another
return cmsgpack.pack(1, "a", {2}, true)
