-- a 1 MB error message
error(string.rep("e", 1024 * 1024))
