-- RESTORE of a payload that is not a dump
--! cmd: FUNCTION RESTORE garbage
--! cmd: FUNCTION RESTORE \e
return 1
