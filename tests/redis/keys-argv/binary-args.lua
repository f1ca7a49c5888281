-- arguments are binary safe
--! args: a\x00b \xff\xfe \r\n
return {#ARGV[1], #ARGV[2], #ARGV[3], string.byte(ARGV[1], 2), string.byte(ARGV[2], 1)}
