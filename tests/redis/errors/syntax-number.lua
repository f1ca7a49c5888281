-- a malformed number
return 3.4.5
