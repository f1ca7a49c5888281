-- setresp(3): a map with several keys is written in Lua's table traversal order
--! resp: 3
redis.setresp(3)
return {map = {list = {1, 2}, inner = {map = {x = "y"}}, name = "n", count = 3}}
