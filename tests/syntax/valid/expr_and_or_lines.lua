local v = a
 and b
 or c
