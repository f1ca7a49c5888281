-- FUNCTION DUMP with no library
--! cmd: FUNCTION DUMP
return 1
