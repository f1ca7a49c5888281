-- bench: a ring of coroutines passing a token; each holder decrements it
-- and hands it to the next coroutine; reports who holds it at zero.
local N = 503

local function ring(token)
  local threads = {}
  local seen = {}
  for id = 1, N do
    seen[id] = 0
    threads[id] = coroutine.create(function(t)
      while t > 0 do
        seen[id] = seen[id] + 1
        t = coroutine.yield(t - 1)
      end
      return -id
    end)
  end
  local i, t = 1, token
  while true do
    local ok, v = coroutine.resume(threads[i], t)
    if not ok then error(v) end
    if v < 0 then
      local sum = 0
      for k = 1, N do sum = (sum + seen[k] * k) % 1000003 end
      return -v, sum
    end
    t = v
    i = i % N + 1
  end
end

local a, b = ring(3000000)
local c, d = ring(2999999)
print("ring", a, b, c, d)
