-- an unknown SCRIPT subcommand
--! cmd: SCRIPT NOSUCH
return 1
