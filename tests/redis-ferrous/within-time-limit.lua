-- a script under the time limit is atomic: another client waits, never sees -BUSY
--! options: --time-limit-ms 5000
--! send a: EVAL $BODY 0
--! sleep: 100
--! b: GET k
--! expect: $5\r\nafter\r\n
--! recv a
--! expect: +OK\r\n
local function now()
  local t = redis.call("TIME")
  return t[1] * 1000000 + t[2]
end
redis.call("SET", "k", "before")
local stop = now() + 600000
while now() < stop do end
return redis.call("SET", "k", "after")
