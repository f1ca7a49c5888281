-- returning a null bulk from redis.call gives a null reply
--! keys: missing
return redis.call("GET", KEYS[1])
