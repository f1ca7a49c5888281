-- arithmetic on a non-numeric string
return "abc" * 2
