-- EVAL with a fractional numkeys
--! cmd: EVAL return\s1 1.5 a
return 1
