-- setresp(3): a set table is a RESP3 set of its keys
--! resp: 3
redis.setresp(3)
return {set = {member = true}}
