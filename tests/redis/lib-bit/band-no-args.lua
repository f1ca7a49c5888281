-- band with no arguments
return bit.band()
