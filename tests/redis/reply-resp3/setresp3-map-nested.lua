-- setresp(3): map values can be arrays, maps and sets (one key per map)
--! resp: 3
redis.setresp(3)
return {map = {outer = {map = {inner = {1, {set = {s = true}}}}}}}
