-- error(12) gets the position prefix
error(12)
