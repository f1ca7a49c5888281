-- a width that is not a number
return bit.tohex(1, "x")
