-- error with level 0 has no position prefix
error("no position", 0)
