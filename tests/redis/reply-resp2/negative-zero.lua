-- negative zero is the integer 0
return -0
