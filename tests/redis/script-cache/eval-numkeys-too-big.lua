-- EVAL with more keys than arguments
--! cmd: EVAL return\s1 3 a b
return 1
