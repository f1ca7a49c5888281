-- bit: tohex with INT_MIN as the width (negating it overflowed)
return {bit.tohex(65535, -2147483648), bit.tohex(-1, -2147483648), bit.tohex(0, -2147483648)}
