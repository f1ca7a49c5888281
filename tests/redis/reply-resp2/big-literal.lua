-- a 19-digit literal goes through a double
return 1234567890123456789
