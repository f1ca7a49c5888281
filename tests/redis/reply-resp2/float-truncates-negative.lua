-- -3.7 is truncated toward zero to -3
return -3.7
