-- the most extreme widths (INT_MIN once crashed Redis)
return {bit.tohex(65535, -2147483648), bit.tohex(65535, 2147483647), bit.tohex(65535, -2147483647)}
