-- A hook set inside a metamethod (or any Lua code the interpreter reaches
-- without a call instruction) takes effect in the calling function at its
-- next instruction, as in Lua 5.1: the line and count hooks trace the rest
-- of the caller, a call hook sees its next calls.

local events = {}
local function record(ev, line)
  events[#events + 1] = ev .. ":" .. tostring(line)
end
local function flush(label)
  debug.sethook()
  print(label, #events, table.concat(events, " "))
  events = {}
end

local function arm(mask)
  return function()
    debug.sethook(record, mask)
  end
end

-- __index (GETTABLE, GETFIELD, SELF, GETGLOBAL through a global table
-- with a metatable)
local t = setmetatable({}, { __index = function() arm("l")() return 1 end })
local x = t.missing
x = x + 1
x = x + 2
flush("index line " .. x)

local key = "k"
x = t[key]
x = x * 3
flush("gettable line " .. x)

local o = setmetatable({}, { __index = function() arm("l")() return function() return 7 end end })
x = o:method()
x = x - 1
flush("self line " .. x)

-- __newindex
local n = setmetatable({}, { __newindex = function() arm("l")() end })
n.field = 1
x = 10
x = x + 1
flush("newindex line " .. x)

-- arithmetic, unary minus, length and concatenation metamethods
local mt = {
  __add = function() arm("l")() return 2 end,
  __unm = function() arm("l")() return 3 end,
  __len = function() arm("l")() return 4 end,
  __concat = function() arm("l")() return "c" end,
}
local a = setmetatable({}, mt)
x = a + 1
x = x + 5
flush("add line " .. x)
x = -a
x = x + 5
flush("unm line " .. x)
x = #a
x = x + 5
flush("len line " .. x)
local s = a .. "s"
s = s .. "!"
flush("concat line " .. s)

-- comparison metamethods: the test's jump is taken or not, then tracing
-- starts at the instruction after it
local cmp = {
  __lt = function() arm("l")() return true end,
  __le = function() arm("l")() return false end,
  __eq = function() arm("l")() return true end,
}
local p, q = setmetatable({}, cmp), setmetatable({}, cmp)
if p < q then
  x = 1
else
  x = 2
end
flush("lt line " .. x)
if p <= q then
  x = 1
else
  x = 2
end
flush("le line " .. x)
if p == q then
  x = 1
else
  x = 2
end
flush("eq line " .. x)

-- a count hook and a call hook set the same way
local c = setmetatable({}, { __index = function() debug.sethook(record, "", 2) return 0 end })
x = c.y
x = x + 1
x = x + 1
x = x + 1
x = x + 1
flush("count")

local function callee() return 1 end
local cc = setmetatable({}, { __index = function() arm("c")() return 0 end })
x = cc.y
callee()
callee()
flush("call")

-- removing the hook from a metamethod stops tracing at once
debug.sethook(record, "l")
local off = setmetatable({}, { __index = function() debug.sethook() return 0 end })
x = off.y
x = x + 1
x = x + 1
print("after removal", #events)
events = {}

-- a return hook set inside a metamethod sees the caller return
local rr = setmetatable({}, { __index = function() arm("r")() return 0 end })
local function g()
  local v = rr.y
  return v + 1
end
x = g()
flush("return " .. x)

-- and a call hook set from a metamethod inside a callee sees the calls
-- its caller makes after it returns
local function h()
  local v = cc.y
  return v
end
h()
callee()
flush("call after return")
