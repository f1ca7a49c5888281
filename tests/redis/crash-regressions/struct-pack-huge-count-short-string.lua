-- struct: pack with a character count of INT_MAX and a short string
return struct.pack("c2147483647", "x")
