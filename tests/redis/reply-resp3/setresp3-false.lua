-- setresp(3): false is a RESP3 boolean
--! resp: 3
redis.setresp(3)
return false
