x = "unfinished
y = = 1
