-- fractional shift counts
return {bit.lshift(1, 1.5), bit.lshift(1, 2.5), bit.rshift(16, 0.9)}
