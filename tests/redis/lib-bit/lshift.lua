-- lshift, counts taken modulo 32
return {bit.lshift(1, 0), bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(1, 33), bit.lshift(0xff, 28), bit.lshift(1, -1)}
