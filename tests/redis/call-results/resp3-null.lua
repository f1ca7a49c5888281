-- setresp(3): a null reply is nil, not false
--! keys: missing
redis.setresp(3)
local r = redis.call("GET", KEYS[1])
return {type(r), tostring(r)}
