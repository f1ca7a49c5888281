-- SCRIPT FLUSH with an invalid mode
--! cmd: SCRIPT FLUSH NOW
--! cmd: SCRIPT FLUSH ASYNC SYNC
return 1
