-- FUNCTION KILL with no function running
--! cmd: FUNCTION KILL
return 1
