-- an empty argument
--! args: \e x
return {#ARGV, #ARGV[1], ARGV[2]}
