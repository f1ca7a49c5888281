-- COPY to a new key and to another database
--! keys: a b
--! setup: SET a value
return {redis.call("COPY", KEYS[1], KEYS[2]), redis.call("COPY", KEYS[1], KEYS[1], "DB", 4)}
