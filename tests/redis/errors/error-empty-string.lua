-- error("") still has the position prefix
error("")
