-- SCRIPT EXISTS with no SHA
--! cmd: SCRIPT EXISTS
return 1
