do x = 1
