-- a HyperLogLog written by a script (the dump shows its bytes)
--! keys: hll
redis.call("PFADD", KEYS[1], "a", "b", "c", "a")
return redis.call("PFCOUNT", KEYS[1])
