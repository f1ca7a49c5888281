x = 1 local
