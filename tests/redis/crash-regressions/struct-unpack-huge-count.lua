-- struct: unpack with a character count of INT_MAX on short data
return {struct.unpack("c2147483647", "x")}
