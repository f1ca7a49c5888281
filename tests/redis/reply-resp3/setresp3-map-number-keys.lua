-- setresp(3): numeric map keys are integers
--! resp: 3
redis.setresp(3)
return {map = {[1] = "one"}}
