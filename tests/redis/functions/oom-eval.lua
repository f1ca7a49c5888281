-- with maxmemory exceeded, EVAL of a writing script fails at the write
--! keys: k
--! cmd: CONFIG SET maxmemory 1
--! eval
--! cmd: CONFIG SET maxmemory 0
--! teardown: CONFIG SET maxmemory 0
return redis.call("SET", KEYS[1], "v")
