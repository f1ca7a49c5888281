-- a string that looks like a number stays a bulk string
return "42"
