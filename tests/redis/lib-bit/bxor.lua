-- bxor with two and more arguments
return {bit.bxor(0xff, 0x0f), bit.bxor(1, 2, 4, 1), bit.bxor(-1, 2^31)}
