-- EVALSHA with more keys than arguments (checked before the lookup?)
--! cmd: EVALSHA ffffffffffffffffffffffffffffffffffffffff 2 a
return 1
