-- redis.set_repl with every valid value returns nothing
local out = {}
for _, v in ipairs({redis.REPL_ALL, redis.REPL_AOF, redis.REPL_REPLICA, redis.REPL_SLAVE, redis.REPL_NONE}) do
  out[#out + 1] = select("#", redis.set_repl(v))
end
redis.set_repl(redis.REPL_ALL)
return out
