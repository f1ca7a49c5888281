-- struct: unpack with a width just past INT_MAX
return {struct.unpack("i2147483648", "x")}
