-- collectgarbage("count") sees every large allocation (strings, tables, closures, coroutines) and drops back when they are collected: the accounting the memory limit relies on.

local function kb() return collectgarbage("count") end

local function settle()
  collectgarbage("collect")
  collectgarbage("collect")
  return kb()
end

-- Grows by at least `min_kb` while `make` holds its result, and falls back
-- to within `slack_kb` of the start once it is dropped.
local function check(name, min_kb, make)
  local before = settle()
  local keep = make()
  local during = settle()
  assert(during - before >= min_kb,
    string.format("%s: grew by %.0f KB, expected at least %.0f KB", name, during - before, min_kb))
  keep = nil
  local after = settle()
  assert(after - before < 512,
    string.format("%s: %.0f KB still counted after collection", name, after - before))
  return keep
end

local MB = 1024

check("one big string", 20 * MB, function()
  return string.rep("x", 20 * 1024 * 1024)
end)

check("many small strings", 4 * MB, function()
  local t = {}
  for i = 1, 100000 do t[i] = "string number " .. i end
  return t
end)

check("array part", 7 * MB, function()
  local t = {}
  for i = 1, 500000 do t[i] = i end
  return t
end)

check("hash part", 7 * MB, function()
  local t = {}
  for i = 1, 200000 do t["k" .. i] = i end
  return t
end)

check("closures and upvalues", 2 * MB, function()
  local fs = {}
  for i = 1, 50000 do
    local up = i
    fs[i] = function() up = up + 1; return up end
  end
  return fs
end)

check("coroutines", 2 * MB, function()
  local cs = {}
  for i = 1, 10000 do
    cs[i] = coroutine.create(function(a) return coroutine.yield(a) end)
    coroutine.resume(cs[i], i)
  end
  return cs
end)

check("concatenation results", 8 * MB, function()
  local parts = {}
  for i = 1, 64 do parts[i] = string.rep(string.char(64 + i % 26), 128 * 1024) end
  return table.concat(parts)
end)

-- Garbage made in a loop does not accumulate: the collector keeps up.
local start = settle()
for i = 1, 200 do
  local s = string.rep("y", 100000) .. i
  local t = {s, s, s}
end
assert(settle() - start < 512, "loop garbage was not collected")
