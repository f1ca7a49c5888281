-- setresp(3): a double reply
--! resp: 3
redis.setresp(3)
return {double = 3.5}
