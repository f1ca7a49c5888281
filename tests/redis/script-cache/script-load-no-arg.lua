-- SCRIPT LOAD with no script
--! cmd: SCRIPT LOAD
return 1
