-- tobit of a table
return bit.tobit({})
