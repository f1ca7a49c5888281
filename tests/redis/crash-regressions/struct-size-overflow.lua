-- struct: size of two INT_MAX counts adds up past 32 bits
return struct.size("c2147483647c2147483647")
