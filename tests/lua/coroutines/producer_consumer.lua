-- a producer/filter/consumer pipeline built from coroutines
local function producer(items)
  return coroutine.create(function()
    for _, v in ipairs(items) do coroutine.yield(v) end
  end)
end
local function filter(src, pred)
  return coroutine.create(function()
    while true do
      local ok, v = coroutine.resume(src)
      if not v then return end
      if pred(v) then coroutine.yield(v) end
    end
  end)
end
local function consume(src)
  local out = {}
  while true do
    local ok, v = coroutine.resume(src)
    if not v then break end
    out[#out + 1] = v
  end
  return out
end
local nums = {}
for i = 1, 30 do nums[i] = i end
local evens = filter(producer(nums), function(v) return v % 2 == 0 end)
local threes = filter(evens, function(v) return v % 3 == 0 end)
print(table.concat(consume(threes), ","))
