-- arguments containing spaces
--! args: hello\sworld \s
return {ARGV[1], #ARGV[2]}
