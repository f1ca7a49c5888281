-- EVAL with a numkeys that is not a number
--! cmd: EVAL return\s1 x
return 1
