-- comparing a number with a string
return 1 < "2"
