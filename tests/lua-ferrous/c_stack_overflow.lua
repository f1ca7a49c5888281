-- Recursion through Rust-level boundaries (metamethods, pcall, coroutines, library callbacks) stops with "C stack overflow" after about 200 levels (Lua 5.1's LUAI_MAXCCALLS), never overflowing the Rust stack, and the interpreter stays usable.

local depth = 0
local cases = {}

cases.pcall = function()
  local function p()
    depth = depth + 1
    local ok, e = pcall(p)
    if not ok then error(e, 0) end
  end
  p()
end

cases.index = function()
  local mt = {}
  mt.__index = function(_, k) depth = depth + 1; return setmetatable({}, mt)[k] end
  return setmetatable({}, mt).x
end

cases.newindex = function()
  local mt = {}
  mt.__newindex = function(_, k, v) depth = depth + 1; local n = setmetatable({}, mt); n[k] = v end
  setmetatable({}, mt).x = 1
end

cases.concat = function()
  local c = setmetatable({}, {})
  getmetatable(c).__concat = function(a, b) depth = depth + 1; return a .. b end
  return c .. "x"
end

cases.eq = function()
  local mt = {__eq = function(a, b) depth = depth + 1; return a == b end}
  local a, b = setmetatable({}, mt), setmetatable({}, mt)
  return a == b
end

cases.lt = function()
  local mt = {__lt = function(a, b) depth = depth + 1; return a < b end}
  return setmetatable({}, mt) < setmetatable({}, mt)
end

cases.le = function()
  local mt = {__le = function(a, b) depth = depth + 1; return a <= b end}
  return setmetatable({}, mt) <= setmetatable({}, mt)
end

cases.unm = function()
  local u = setmetatable({}, {__unm = function(a) depth = depth + 1; return -a end})
  return -u
end

cases.add = function()
  local a = setmetatable({}, {__add = function(x, y) depth = depth + 1; return x + y end})
  return a + 1
end

cases.len = function()
  local p = newproxy(true)
  getmetatable(p).__len = function(q) depth = depth + 1; return #q end
  return #p
end

cases.tostring = function()
  local t = setmetatable({}, {__tostring = function(s) depth = depth + 1; return tostring(s) end})
  return tostring(t)
end

cases.gsub = function()
  local function g() depth = depth + 1; return (string.gsub("a", "a", g)) end
  return g()
end

cases.sort = function()
  local function s()
    depth = depth + 1
    table.sort({3, 2, 1}, function(x, y) s(); return x < y end)
  end
  s()
end

cases.resume = function()
  local function co()
    depth = depth + 1
    local ok, e = coroutine.resume(coroutine.create(co))
    if not ok then error(e, 0) end
  end
  co()
end

cases.wrap = function()
  local function w() depth = depth + 1; return coroutine.wrap(w)() end
  return w()
end

cases.mixed = function()
  -- Alternate boundaries: __index -> pcall -> coroutine -> __index ...
  local mt = {}
  local function step(n)
    depth = depth + 1
    if n % 3 == 0 then
      return setmetatable({}, mt).k
    elseif n % 3 == 1 then
      local ok, e = pcall(step, n + 1)
      if not ok then error(e, 0) end
      return e
    else
      local ok, e = coroutine.resume(coroutine.create(step), n + 1)
      if not ok then error(e, 0) end
      return e
    end
  end
  mt.__index = function() return step(1 + 3 * depth) end
  return step(0)
end

local names = {}
for name in pairs(cases) do names[#names + 1] = name end
table.sort(names)

for round = 1, 2 do
  for _, name in ipairs(names) do
    depth = 0
    local ok, err = pcall(cases[name])
    assert(not ok, name .. ": recursion without end returned")
    assert(type(err) == "string" and err:find("C stack overflow$"),
      name .. ": unexpected error " .. tostring(err))
    assert(depth >= 50 and depth <= 250, name .. ": stopped at depth " .. depth)
    -- Still usable: a metamethod, a coroutine and pcall all work again.
    local v = setmetatable({}, {__index = function(_, k) return k .. "!" end}).hi
    assert(v == "hi!", name)
    local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1); return b * 2 end)
    assert(co(1) == 2 and co(5) == 10, name)
    assert(select(2, pcall(error, "x", 0)) == "x", name)
  end
end

-- A message handler that always fails ends as "error in error handling".
depth = 0
local ok, err = xpcall(function() error("first") end, function(m) depth = depth + 1; error(m) end)
assert(not ok and err == "error in error handling", tostring(err))
assert(depth > 1 and depth <= 250, "handler retried " .. depth .. " times")

-- 150 nested coroutines, each yielding through the others, are fine.
local function nest(n)
  if n == 0 then return coroutine.yield("bottom") end
  local co = coroutine.create(nest)
  local ok2, v = coroutine.resume(co, n - 1)
  assert(ok2, v)
  return v
end
local top = coroutine.create(nest)
local ok3, v3 = coroutine.resume(top, 150)
assert(ok3 and v3 == "bottom", tostring(v3))
