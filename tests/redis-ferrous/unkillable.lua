-- a busy script that wrote cannot be killed: -UNKILLABLE, and it runs to its end
--! options: --time-limit-ms 100
--! send a: EVAL $BODY 1 k
--! wait-busy
--! b: SCRIPT KILL
--! expect: -UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n
--! b: FUNCTION KILL
--! expect: -UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n
--! recv a
--! expect: $8\r\nfinished\r\n
--! upstream: GET k
--! expect: $7\r\nwritten\r\n
local function now()
  local t = redis.call("TIME")
  return t[1] * 1000000 + t[2]
end
redis.call("SET", KEYS[1], "written")
local stop = now() + 1500000
while now() < stop do end
return "finished"
