-- EVAL without numkeys
--! cmd: EVAL return\s1
return 1
