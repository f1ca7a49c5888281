-- error(false)
error(false)
