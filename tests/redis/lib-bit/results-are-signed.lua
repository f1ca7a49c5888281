-- results above 2^31 come back negative
return {bit.bor(0x80000000, 0), bit.band(0xffffffff, 0xffffffff), bit.lshift(3, 30)}
