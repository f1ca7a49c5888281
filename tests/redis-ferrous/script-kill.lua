-- SCRIPT KILL stops a busy script that has not written; its caller gets the kill error
--! options: --time-limit-ms 100
--! send a: EVAL $BODY 0
--! wait-busy
--! b: FUNCTION KILL
--! expect: -BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n
--! b: SCRIPT KILL
--! expect: +OK\r\n
--! recv a
--! expect: -ERR Script killed by user with SCRIPT KILL... script: $SHA, on @user_script:17.\r\n
--! b: PING
--! expect: +PONG\r\n
--! a: EVAL return\s'alive' 0
--! expect: $5\r\nalive\r\n
local i = 0
while true do
  i = i + 1
end
