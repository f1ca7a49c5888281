-- ror rotates right
return {bit.ror(0x12345678, 4), bit.ror(1, 1), bit.ror(0x12345678, 36), bit.ror(1, -1)}
