-- with maxmemory exceeded, an allow-oom shebang script may write
--! keys: k
--! noload
--! cmd: CONFIG SET maxmemory 1
--! eval
--! cmd: CONFIG SET maxmemory 0
--! teardown: CONFIG SET maxmemory 0
#!lua flags=allow-oom
return redis.call("SET", KEYS[1], "v")
