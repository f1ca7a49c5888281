-- 2^63 is just out of range
return 2^63
