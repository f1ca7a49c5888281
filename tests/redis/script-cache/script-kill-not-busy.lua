-- SCRIPT KILL with no script running
--! cmd: SCRIPT KILL
return 1
