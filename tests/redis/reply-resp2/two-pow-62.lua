-- 2^62 fits in 64 bits
return 2^62
