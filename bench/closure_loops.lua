-- bench: closures created inside loops: per-iteration captures of the
-- loop variable, handler tables filled with fresh closures, higher-order
-- map/filter/fold over arrays with a new callback each pass, and closures
-- sharing one upvalue.
local function map(t, f)
  local r = {}
  for i = 1, #t do r[i] = f(t[i]) end
  return r
end
local function filter(t, f)
  local r = {}
  for i = 1, #t do
    local v = t[i]
    if f(v) then r[#r + 1] = v end
  end
  return r
end
local function fold(t, f, acc)
  for i = 1, #t do acc = f(acc, t[i]) end
  return acc
end

local data = {}
for i = 1, 200 do data[i] = (i * 37) % 101 end

local total = 0
for pass = 1, 22000 do
  -- a new callback per pass, each capturing pass-dependent locals
  local k = pass % 7 + 1
  local m = map(data, function(v) return v * k + pass % 3 end)
  local f = filter(m, function(v) return v % k ~= 0 end)
  total = (total + fold(f, function(a, v) return a + v end, 0)) % 1000003

  -- handlers capturing the loop variable of an inner loop
  local handlers = {}
  for i = 1, 40 do
    handlers[i] = function(x) return x + i * k end
  end
  local x = 0
  for i = 1, 40 do x = handlers[i](x) % 9973 end

  -- two closures sharing one upvalue
  local count = 0
  local function inc() count = count + 1 end
  local function get() return count end
  for _ = 1, 30 do inc() end
  total = (total + x + get()) % 1000003
end
print("closures", total)
