-- with no keys and no arguments both tables are empty
return {#KEYS, #ARGV, tostring(KEYS[1]), tostring(ARGV[1])}
