-- setresp(3): false and true as map values
--! resp: 3
redis.setresp(3)
return {map = {f = false}}
