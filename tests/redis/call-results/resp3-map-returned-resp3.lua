-- setresp(3): a map from redis.call returned to a RESP3 client
--! keys: h
--! setup: HSET h field value
--! resp: 3
redis.setresp(3)
return redis.call("HGETALL", KEYS[1])
