-- thousands of live coroutines each keep their own state
local cos = {}
for i = 1, 2000 do
  cos[i] = coroutine.create(function(step)
    local acc = i
    while true do acc = acc + step; step = coroutine.yield(acc) end
  end)
end
local total = 0
for round = 1, 3 do
  for i = 1, #cos do
    local ok, v = coroutine.resume(cos[i], round)
    total = total + v
  end
end
print(total)
print(coroutine.status(cos[1]), coroutine.status(cos[2000]))
