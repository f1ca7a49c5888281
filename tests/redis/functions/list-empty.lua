-- FUNCTION LIST with no library
--! cmd: FUNCTION LIST
return 1
