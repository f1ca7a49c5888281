-- a bad argument to a library function
return string.rep()
