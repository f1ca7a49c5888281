-- bench: switching between coroutines (resume/yield ping-pong and generators)
local function pingpong(n)
  local co = coroutine.create(function(v)
    while true do v = coroutine.yield(v + 1) end
  end)
  local v = 0
  for i = 1, n do
    local ok
    ok, v = coroutine.resume(co, v)
  end
  return v
end
local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local s = pingpong(11000000)
local t = 0
for round = 1, 220 do for v in gen(50000) do t = t + v end end
print("pingpong", s, "generated", t)
