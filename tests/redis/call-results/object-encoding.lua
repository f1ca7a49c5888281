-- OBJECT ENCODING answers a bulk string
--! keys: i s
--! setup: SET i 12345
--! setup: SET s hello
return {redis.call("OBJECT", "ENCODING", KEYS[1]), redis.call("OBJECT", "ENCODING", KEYS[2])}
