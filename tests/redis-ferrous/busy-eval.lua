-- a script past the time limit: other clients get -BUSY, the script finishes normally
--! options: --time-limit-ms 100
--! send a: EVAL $BODY 0
--! wait-busy
--! b: GET k
--! expect: -BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n
--! b: EVAL return\s1 0
--! expect: -BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n
--! b: FUNCTION STATS
--! expect: -BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n
--! recv a
--! expect: $4\r\ndone\r\n
--! b: PING
--! expect: +PONG\r\n
--! b: SCRIPT KILL
--! expect: -NOTBUSY No scripts in execution right now.\r\n
local function now()
  local t = redis.call("TIME")
  return t[1] * 1000000 + t[2]
end
local stop = now() + 1500000
while now() < stop do end
return "done"
