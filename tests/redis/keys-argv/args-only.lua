-- arguments without keys
--! args: x y z
return {#KEYS, ARGV[3]}
