-- tobit with no argument
return bit.tobit()
