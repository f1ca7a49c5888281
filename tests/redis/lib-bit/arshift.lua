-- arshift keeps the sign
return {bit.arshift(-1, 1), bit.arshift(-256, 4), bit.arshift(0x7fffffff, 30), bit.arshift(2^31, 31), bit.arshift(-8, 33)}
