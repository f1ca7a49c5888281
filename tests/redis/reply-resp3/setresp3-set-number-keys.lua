-- setresp(3): set members that are numbers are integers
--! resp: 3
redis.setresp(3)
return {set = {[7] = true}}
