-- -0.5 truncates to 0 (not -1)
return -0.5
