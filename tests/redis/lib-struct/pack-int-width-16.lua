-- i16 is the widest integer allowed
return {#struct.pack("<i16", -1), struct.pack(">I16", 1)}
