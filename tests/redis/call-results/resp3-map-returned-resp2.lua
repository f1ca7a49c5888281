-- setresp(3): a map from redis.call returned to a RESP2 client is flattened
--! keys: h
--! setup: HSET h field value
redis.setresp(3)
return redis.call("HGETALL", KEYS[1])
