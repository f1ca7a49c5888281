-- a 100000-byte bulk string
return string.rep("ab", 50000)
