-- keys without arguments
--! keys: only
return {#KEYS, KEYS[1], #ARGV}
