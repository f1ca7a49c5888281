-- ARGV[0] and KEYS[0] are nil
--! keys: k
--! args: a
return {tostring(KEYS[0]), tostring(ARGV[0]), tostring(ARGV[-1])}
