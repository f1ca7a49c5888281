-- a shebang script without declared keys may still access keys in standalone mode
--! noload
--! eval
#!lua
return redis.call("GET", "undeclared")
