-- error with level 2 at the top of the script
error("level two", 2)
