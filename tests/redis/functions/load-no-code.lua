-- FUNCTION LOAD with no code, and REPLACE with no code
--! cmd: FUNCTION LOAD
--! cmd: FUNCTION LOAD REPLACE
return 1
