-- a shift count that is not a number
return bit.lshift(1, "two")
