-- numeric arguments arrive as strings
--! args: 42 3.5 -1
return {type(ARGV[1]), ARGV[1] + 1, ARGV[2] * 2, tonumber(ARGV[3])}
