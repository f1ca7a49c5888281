-- setresp with a bad version, no argument, or too many arguments
local a = redis.pcall(redis.setresp, 4)
return {pcall(redis.setresp, 4), pcall(redis.setresp), pcall(redis.setresp, 2, 3), pcall(redis.setresp, 0)}
