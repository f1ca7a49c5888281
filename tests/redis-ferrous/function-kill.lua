-- FUNCTION KILL stops a busy function; SCRIPT KILL is refused for it
--! options: --time-limit-ms 100
--! a: FUNCTION LOAD $LIBRARY
--! expect: $4\r\nspin\r\n
--! send a: FCALL spin 0
--! wait-busy
--! b: PING
--! expect: -BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n
--! b: SCRIPT KILL
--! expect: -BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n
--! b: FUNCTION KILL
--! expect: +OK\r\n
--! recv a
--! expect: -ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:4.\r\n
--! a: FCALL spin_once 0
--! expect: :1\r\n
#!lua name=spin
redis.register_function('spin', function()
  while true do
    local x = 1
  end
end)
redis.register_function('spin_once', function() return 1 end)
