-- three calls in a row increment the same counter
--! keys: n
--! calls: 3
return redis.call("INCR", KEYS[1])
