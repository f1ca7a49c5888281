-- EVAL with no arguments at all
--! cmd: EVAL
return 1
