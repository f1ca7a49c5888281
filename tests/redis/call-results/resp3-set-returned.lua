-- setresp(3): a set from redis.call returned to a RESP3 client
--! keys: s
--! setup: SADD s 5
--! resp: 3
redis.setresp(3)
return redis.call("SMEMBERS", KEYS[1])
