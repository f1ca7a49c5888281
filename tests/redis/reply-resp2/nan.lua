-- NaN becomes the most negative 64-bit integer
return 0/0
