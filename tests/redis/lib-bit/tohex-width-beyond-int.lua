-- widths that do not fit in an int
return {bit.tohex(65535, 2^32), bit.tohex(65535, -2^32), bit.tohex(65535, 2^40 + 3)}
