-- KEYS and ARGV are plain tables
--! keys: a
--! args: b
return {type(KEYS), type(ARGV), #KEYS, #ARGV}
