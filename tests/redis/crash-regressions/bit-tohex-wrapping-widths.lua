-- bit: widths that wrap around when cut to an int
return {bit.tohex(255, 2^31), bit.tohex(255, -2^31 - 1), bit.tohex(255, 2^33 - 1)}
