-- unpacking integers wider than 8 bytes
return {struct.unpack(">i16", string.rep("\255", 16)), struct.unpack(">I9", string.rep("\255", 9)), struct.unpack(">i9", "\1" .. string.rep("\0", 8))}
