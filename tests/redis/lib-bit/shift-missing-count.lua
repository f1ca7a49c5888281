-- a shift with no count
return bit.lshift(1)
