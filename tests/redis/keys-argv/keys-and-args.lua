-- KEYS and ARGV hold the call's keys and arguments
--! keys: k1 k2 k3
--! args: a1 a2
return {KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], #KEYS, #ARGV}
