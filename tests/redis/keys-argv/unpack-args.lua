-- unpacking ARGV into a command
--! keys: l
--! args: c b a
redis.call("RPUSH", KEYS[1], unpack(ARGV))
return redis.call("LRANGE", KEYS[1], 0, -1)
