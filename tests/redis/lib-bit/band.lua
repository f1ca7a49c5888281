-- band with two and more arguments
return {bit.band(0xff, 0x0f), bit.band(-1, 0x7fffffff), bit.band(0xf0f0, 0xff00, 0x3c3c), bit.band(5)}
