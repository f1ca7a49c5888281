-- EVALSHA of a well-formed but unknown SHA
--! cmd: EVALSHA ffffffffffffffffffffffffffffffffffffffff 0
return 1
