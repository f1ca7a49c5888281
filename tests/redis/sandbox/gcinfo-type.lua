-- gcinfo returns a number
return type(gcinfo())
