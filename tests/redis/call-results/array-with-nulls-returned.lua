-- an array with null elements passed straight back
--! keys: a b c
--! setup: SET b 2
return redis.call("MGET", KEYS[1], KEYS[2], KEYS[3])
