-- SCRIPT LOAD inside MULTI, then EVALSHA after EXEC
--! cmd: MULTI
--! cmd: SCRIPT LOAD $BODY
--! cmd: EXEC
--! evalsha
return "loaded in multi"
