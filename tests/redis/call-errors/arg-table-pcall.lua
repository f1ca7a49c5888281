-- a table argument to redis.pcall is returned as an err table
local r = redis.pcall("GET", {1})
return {type(r), r.err}
