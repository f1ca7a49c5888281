-- setresp with 3.5
--! resp: 3
redis.setresp(3.5)
return false
