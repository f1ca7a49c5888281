-- a negative integral number becomes an integer reply
return -7
