-- an unknown FUNCTION subcommand
--! cmd: FUNCTION NOSUCH
--! cmd: FUNCTION
return 1
