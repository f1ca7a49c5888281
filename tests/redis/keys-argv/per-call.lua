-- each EVAL gets its own KEYS and ARGV
--! cmd: EVAL return\s{KEYS[1],ARGV[1]} 1 first one
--! cmd: EVAL return\s{KEYS[1],ARGV[1]} 1 second two
--! cmd: EVAL return\s{#KEYS,#ARGV} 0
return 1
