x = a // b
