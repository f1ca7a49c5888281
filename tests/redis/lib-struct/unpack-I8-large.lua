-- I8 with the high bit set
return {struct.unpack(">I8", "\128\0\0\0\0\0\0\1")}
