-- fractional operands are rounded before the operation
return {bit.band(3.5, 7), bit.bor(0.5, 0), bit.bxor(2.5, 0)}
