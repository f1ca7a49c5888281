-- pcall and xpcall cannot catch SCRIPT KILL
--! options: --time-limit-ms 100
--! send a: EVAL $BODY 0
--! wait-busy
--! b: SCRIPT KILL
--! expect: +OK\r\n
--! recv a
--! expect-prefix: -ERR Script killed by user with SCRIPT KILL... script: $SHA, on @user_script:
--! b: PING
--! expect: +PONG\r\n
while true do
  pcall(function()
    xpcall(function() while true do end end, function(e) return e end)
  end)
end
