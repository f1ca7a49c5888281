-- bswap reverses the bytes
return {bit.bswap(0x12345678), bit.bswap(-1), bit.bswap(0xff), bit.bswap(bit.bswap(0x1234abcd))}
