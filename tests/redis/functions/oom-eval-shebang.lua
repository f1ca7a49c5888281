-- with maxmemory exceeded, EVAL of a shebang script without allow-oom is refused up front
--! keys: k
--! noload
--! cmd: CONFIG SET maxmemory 1
--! eval
--! cmd: CONFIG SET maxmemory 0
--! teardown: CONFIG SET maxmemory 0
#!lua
return "ran"
