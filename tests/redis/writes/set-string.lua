-- a string written by a script is in the keyspace
--! keys: greeting
--! args: hello
redis.call("SET", KEYS[1], ARGV[1])
return "done"
