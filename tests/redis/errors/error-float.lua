-- error(1.5) converted to a string
error(1.5)
