-- RENAME inside a script
--! keys: old new
--! setup: SET old value
redis.call("RENAME", KEYS[1], KEYS[2])
return redis.call("EXISTS", KEYS[1], KEYS[2])
