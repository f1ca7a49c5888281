-- JSON text stored with SET and decoded back
--! keys: doc
redis.call("SET", KEYS[1], cjson.encode({items = {1, 2, 3}}))
local t = cjson.decode(redis.call("GET", KEYS[1]))
return t.items
