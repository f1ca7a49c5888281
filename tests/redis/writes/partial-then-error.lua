-- writes before an error are kept (no rollback)
--! keys: a b
redis.call("SET", KEYS[1], "kept")
redis.call("SET", KEYS[2], "also kept")
error("fails after writing")
