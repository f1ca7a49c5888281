-- SCRIPT LOAD of the empty script, then running it
--! cmd: SCRIPT LOAD \e
--! cmd: EVAL \e 0
--! cmd: EVALSHA $SHA1:\e 0
return 1
