-- redis.pcall returns normal replies unchanged
--! keys: s
--! setup: SET s v
return {redis.pcall("GET", KEYS[1]), redis.pcall("STRLEN", KEYS[1]), redis.pcall("PING")}
