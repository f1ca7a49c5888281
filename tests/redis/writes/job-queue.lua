-- a typical reliable-queue move with a status hash
--! keys: queue processing job:1
--! setup: RPUSH queue job:1 job:2
--! setup: HSET job:1 state new
local job = redis.call("LMOVE", KEYS[1], KEYS[2], "LEFT", "RIGHT")
redis.call("HSET", KEYS[3], "state", "processing", "owner", "worker-1")
return {job, redis.call("LLEN", KEYS[1]), redis.call("HGET", KEYS[3], "state")}
