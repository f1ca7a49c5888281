-- setresp(3): map values can be arrays, maps and sets
--! resp: 3
redis.setresp(3)
return {map = {list = {1, 2}, inner = {map = {x = "y"}}}}
