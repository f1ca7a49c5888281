-- FUNCTION STATS with nothing loaded
--! cmd: FUNCTION STATS
return 1
