-- changes to KEYS and ARGV do not survive to the next call
--! keys: a
--! args: x
--! calls: 3
local n = #KEYS .. "/" .. #ARGV
KEYS[#KEYS + 1] = "extra"
ARGV[#ARGV + 1] = "extra"
return n
