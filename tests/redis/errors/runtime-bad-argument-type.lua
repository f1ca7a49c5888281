-- a wrong argument type to a library function
return string.sub({})
