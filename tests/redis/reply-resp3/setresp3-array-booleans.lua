-- setresp(3): booleans inside an array
--! resp: 3
redis.setresp(3)
return {true, false, 1}
