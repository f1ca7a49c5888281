-- SCRIPT FLUSH does not reset the generator
--! cmd: EVAL math.randomseed(21) 0
--! cmd: SCRIPT FLUSH
--! cmd: EVAL return\smath.random(1000) 0
--! cmd: EVAL math.randomseed(21)\sreturn\smath.random(1000) 0
return 0
