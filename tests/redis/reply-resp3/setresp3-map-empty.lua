-- setresp(3): an empty map
--! resp: 3
redis.setresp(3)
return {map = {}}
