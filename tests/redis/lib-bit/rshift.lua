-- rshift is a logical shift
return {bit.rshift(-1, 0), bit.rshift(-1, 1), bit.rshift(-1, 31), bit.rshift(0x80000000, 4), bit.rshift(256, 40)}
