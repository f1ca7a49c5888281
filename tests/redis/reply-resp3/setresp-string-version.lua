-- setresp with a string argument
--! resp: 3
redis.setresp("3")
return false
