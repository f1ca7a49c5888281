-- bor with two and more arguments
return {bit.bor(1, 2), bit.bor(0xf0, 0x0f, 0x100), bit.bor(2^31, 1), bit.bor(7)}
