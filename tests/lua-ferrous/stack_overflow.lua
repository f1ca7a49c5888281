-- Lua recursion of every shape ends in a clean "stack overflow" error, as deep as Lua 5.1 allows (Ferrous's frame limit), with the interpreter fully usable afterwards.

local depth = 0

-- Each runner recurses without bound and counts its depth.
local shapes = {}

shapes.plain = function()
  local function r() depth = depth + 1; return 1 + r() end
  return r()
end

shapes.vararg = function()
  local function v(...) depth = depth + 1; return 1 + v(...) end
  return v(1, 2, 3)
end

shapes.method = function()
  local obj = {}
  function obj:m() depth = depth + 1; return 1 + self:m() end
  return obj:m()
end

shapes.mutual = function()
  local a, b
  function a() depth = depth + 1; return 1 + b() end
  function b() depth = depth + 1; return 1 + a() end
  return a()
end

shapes.many_registers = function()
  local function big(x)
    depth = depth + 1
    local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10 = x, x, x, x, x, x, x, x, x, x
    local b1, b2, b3, b4, b5, b6, b7, b8, b9, b10 = x, x, x, x, x, x, x, x, x, x
    local c1, c2, c3, c4, c5, c6, c7, c8, c9, c10 = x, x, x, x, x, x, x, x, x, x
    return a1 + b2 + c3 + big(x + a10 + b10 + c10)
  end
  return big(1)
end

shapes.closure_per_level = function()
  local function mk(n)
    depth = depth + 1
    local f = function() return n end
    return f() + mk(n + 1)
  end
  return mk(1)
end

shapes.call_metamethod = function()
  -- __call handlers are plain Lua calls: Lua frames, not C levels.
  local c
  c = setmetatable({}, {__call = function(self) depth = depth + 1; local r = self(); return r end})
  return c()
end

local names = {}
for name in pairs(shapes) do names[#names + 1] = name end
table.sort(names)

for round = 1, 3 do
  for _, name in ipairs(names) do
    depth = 0
    local ok, err = pcall(shapes[name])
    assert(not ok, name .. ": recursion without end returned")
    assert(type(err) == "string" and err:find(":%d+: stack overflow$"),
      name .. ": unexpected error " .. tostring(err))
    -- Lua 5.1 fails between 16380 and 20000 frames; so must we (the
    -- many-register shape may stop earlier on the stack size).
    assert(depth >= 10000 and depth <= 20000,
      name .. ": overflow at depth " .. depth)
    -- The state is intact: calls, tables, strings, the collector.
    local t = {}
    for i = 1, 1000 do t[i] = tostring(i) end
    assert(table.concat(t, ",", 998) == "998,999,1000", name)
    collectgarbage("collect")
    assert(select("#", unpack(t, 1, 100)) == 100, name)
  end
end

-- The same depth is reached every time: nothing leaks from a failed call.
local function reach()
  depth = 0
  pcall(shapes.plain)
  return depth
end
local d1 = reach()
for _ = 1, 5 do assert(reach() == d1, "depth changed after repeated overflows") end

-- Inside a coroutine: resume reports the error, the coroutine is dead, and
-- the caller goes on.
local co = coroutine.create(function() depth = 0; return shapes.plain() end)
local ok, err = coroutine.resume(co)
assert(not ok and err:find("stack overflow$"), tostring(err))
assert(coroutine.status(co) == "dead")
assert(depth >= 10000)

-- Deep recursion that stays under the limit works and unwinds correctly.
local function sum(n) if n == 0 then return 0 end return n + sum(n - 1) end
assert(sum(10000) == 50005000)

-- Tail calls do not use frames: a million of them is fine.
local function tail(n, acc) if n == 0 then return acc end return tail(n - 1, acc + 1) end
assert(tail(1000000, 0) == 1000000)

-- A message handler still runs after a stack overflow (Lua 5.1 leaves it
-- room), with the overflowing frames still visible to it.
local seen
local ok2, msg = xpcall(shapes.plain, function(m)
  seen = debug.traceback(m, 2)
  return "handled: " .. m
end)
assert(not ok2 and msg:find("^handled: .*stack overflow$"), tostring(msg))
assert(seen:find("stack traceback:", 1, true) and seen:find("in function 'r'", 1, true), seen)

-- Errors raised while the stack is nearly full are ordinary errors.
local function near(n)
  if n == 0 then error({code = 42}) end
  return 1 + near(n - 1)
end
local ok3, e3 = pcall(near, 16000)
assert(not ok3 and type(e3) == "table" and e3.code == 42)
