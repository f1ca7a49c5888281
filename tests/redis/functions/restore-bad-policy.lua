-- RESTORE with an unknown policy
--! cmd: FUNCTION RESTORE x NOSUCHPOLICY
return 1
