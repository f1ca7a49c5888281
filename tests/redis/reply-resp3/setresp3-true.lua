-- setresp(3): true is a RESP3 boolean
--! resp: 3
redis.setresp(3)
return true
