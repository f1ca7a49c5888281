-- 1e30 is out of the 64-bit range
return 1e30
