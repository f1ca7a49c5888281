-- bench: several producer coroutines (pulled through coroutine.wrap), a
-- filter stage per producer, a round-robin merge, and several consumer
-- coroutines that are pushed values with coroutine.resume.
local PRODUCERS, CONSUMERS, COUNT = 4, 3, 800000

local function producer(id, count)
  return coroutine.wrap(function()
    local x = id * 1000 + 7
    for _ = 1, count do
      x = (x * 75 + 74) % 65537
      coroutine.yield(x)
    end
  end)
end

local function filter(src, k)
  return coroutine.wrap(function()
    while true do
      local v = src()
      if v == nil then return end
      if v % k ~= 0 then coroutine.yield((v * 3 + k) % 65521) end
    end
  end)
end

local function consumer(id)
  return coroutine.create(function(v)
    local sum, n = 0, 0
    while v do
      sum = (sum + v * id + n) % 1000000007
      n = n + 1
      v = coroutine.yield()
    end
    return sum, n
  end)
end

local stages = {}
for p = 1, PRODUCERS do
  stages[p] = filter(producer(p, COUNT), p + 2)
end
local consumers = {}
for c = 1, CONSUMERS do consumers[c] = consumer(c) end

local live, p, sent = PRODUCERS, 1, 0
local done = {}
while live > 0 do
  if not done[p] then
    local v = stages[p]()
    if v == nil then
      done[p] = true
      live = live - 1
    else
      sent = sent + 1
      local co = consumers[sent % CONSUMERS + 1]
      local ok, err = coroutine.resume(co, v)
      if not ok then error(err) end
    end
  end
  p = p % PRODUCERS + 1
end

local out = {}
for c = 1, CONSUMERS do
  local ok, sum, n = coroutine.resume(consumers[c], nil)
  if not ok then error(sum) end
  out[#out + 1] = sum .. "/" .. n
end
print("sent", sent, table.concat(out, " "))
