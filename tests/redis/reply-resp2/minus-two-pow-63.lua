-- -2^63 is exactly the smallest 64-bit integer
return -2^63
