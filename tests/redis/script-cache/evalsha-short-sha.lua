-- EVALSHA with a SHA that is too short
--! cmd: EVALSHA abc 0
return 1
