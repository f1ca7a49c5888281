-- EVAL with a negative numkeys
--! cmd: EVAL return\s1 -1
return 1
