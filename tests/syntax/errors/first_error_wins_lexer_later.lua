x = = 1
y = "unfinished
