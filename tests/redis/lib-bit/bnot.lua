-- bnot
return {bit.bnot(0), bit.bnot(-1), bit.bnot(0x12345678), bit.bnot(2^31)}
