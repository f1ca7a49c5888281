-- tobit normalises numbers to signed 32-bit integers
return {bit.tobit(0), bit.tobit(1), bit.tobit(-1), bit.tobit(2^31), bit.tobit(2^32), bit.tobit(2^32 + 5), bit.tobit(-2^31 - 1), bit.tobit(0xffffffff)}
