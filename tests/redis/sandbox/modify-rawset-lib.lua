-- rawset on a library table is refused
rawset(math, "tau", 6.28)
