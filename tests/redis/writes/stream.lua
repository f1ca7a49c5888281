-- a stream with explicit entry ids
--! keys: st
redis.call("XADD", KEYS[1], "1-1", "f", "v")
return redis.call("XADD", KEYS[1], "5-0", "g", "w", "h", "x")
