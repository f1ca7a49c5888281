-- a long error message is sent whole
error(string.rep("0123456789", 100))
