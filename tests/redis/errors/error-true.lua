-- error(true)
error(true)
