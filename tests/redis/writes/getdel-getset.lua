-- GETDEL and GETSET
--! keys: a b
--! setup: SET a one
--! setup: SET b two
return {redis.call("GETDEL", KEYS[1]), redis.call("GETSET", KEYS[2], "three")}
