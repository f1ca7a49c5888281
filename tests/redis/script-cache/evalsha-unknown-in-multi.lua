-- EVALSHA of an unknown script inside MULTI is queued and fails at EXEC
--! cmd: MULTI
--! evalsha
--! cmd: EXEC
return 1
