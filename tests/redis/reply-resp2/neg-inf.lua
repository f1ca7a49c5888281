-- -inf becomes the most negative 64-bit integer
return -1/0
