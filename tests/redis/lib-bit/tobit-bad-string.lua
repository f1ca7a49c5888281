-- tobit of a non-numeric string
return bit.tobit("abc")
