-- setresp(3): reading a map table with pairs in a deterministic way
--! keys: h
--! setup: HSET h a 1 b 2 c 3
redis.setresp(3)
local r = redis.call("HGETALL", KEYS[1])
local names = {}
for k, v in pairs(r.map) do names[#names + 1] = k .. "=" .. v end
table.sort(names)
return names
