-- with maxmemory exceeded, EVAL of a reading script works
--! keys: k
--! setup: SET k v
--! cmd: CONFIG SET maxmemory 1
--! eval
--! cmd: CONFIG SET maxmemory 0
--! teardown: CONFIG SET maxmemory 0
return redis.call("GET", KEYS[1])
