-- l and L are 8 bytes on this platform
return {struct.pack("<l", -1), struct.pack(">L", 2^40 + 1)}
