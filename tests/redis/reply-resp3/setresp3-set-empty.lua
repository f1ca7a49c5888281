-- setresp(3): an empty set
--! resp: 3
redis.setresp(3)
return {set = {}}
