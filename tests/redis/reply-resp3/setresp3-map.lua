-- setresp(3): a map table is a RESP3 map
--! resp: 3
redis.setresp(3)
return {map = {a = 1}}
