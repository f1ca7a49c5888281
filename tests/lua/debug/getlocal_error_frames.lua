-- debug.getlocal over the frames an error handler sees: the (*temporary) slots lua5.1 lists, including the message a Lua frame's runtime error leaves past its registers, what error, xpcall and an argument check leave on a native's stack
local function dump(level, tag)
  local i = 1
  while true do
    local ok, n, v = pcall(debug.getlocal, level, i)
    if not ok then print(tag, level, "err", n) break end
    if not n then break end
    local tv = type(v)
    if tv == "function" or tv == "table" or tv == "thread" or tv == "userdata" then v = tv end
    print(tag, level, i, n, tostring(v))
    i = i + 1
  end
end
-- temporaries of the caller in the middle of an expression
local function f(a)
  local x = a * 2
  return x + (10 + #tostring(dump(2, "mid") or "") )
end
f(3)
local function h(a, b)
  print("h", a, b, dump(2, "args"))
end
h(7, 8)
-- error handlers looking at the frame that raised
local function raise_rt() local q = 5; local t = nil; return q + t.x end
local function raise_err() local q = 6; error("boom", 0) end
local function raise_arith() local s = "x"; return s + 1 end
local function raise_call() local u = 1; return u() end
for _, fn in ipairs({raise_rt, raise_err, raise_arith, raise_call}) do
  print(xpcall(fn, function(m) for l = 2, 4 do dump(l, "h") end; return "handled" end))
end
-- numeric and generic for loops
for k = 1, 1 do dump(1, "nfor") end
for k, v in pairs({10}) do dump(1, "gfor") end
-- nested calls with temporaries
local t = {}
t[1] = { 1, 2, dump(2, "ctor") }
local r = ("a"):rep(2, dump(2, "method"))

do
local function dumpall(tag)
  for l = 3, 5 do
    local i = 1
    while true do
      local ok, n, v = pcall(debug.getlocal, l, i)
      if not ok or not n then break end
      local tv = type(v)
      if tv == "function" or tv == "table" or tv == "thread" or tv == "userdata" then v = tv end
      print(tag, l, i, n, tostring(v))
      i = i + 1
    end
  end
end
local function h(m) dumpall("h") return "handled" end
local cases = {
  function() error({}) end,
  function() error("lvl2", 2) end,
  function() error(42) end,
  function() error() end,
  function() local a, b, c = 1, 2, 3; return a .. {} end,
  function() local s = string.rep("x", -1, 5); return #nil end,
  function() return ("x"):rep({}) end,
  function() return setmetatable({}, {__index = function(t, k) error("idx " .. k) end}).foo end,
  function() local t = {}; for i = 1, 3 do t[i] = i end; return t < t end,
  function() for i = 1, "x" do end end,
  function(...) local n = select('#', ...); return n.x end,
  function() local f = function() return nil + 1 end; return f() end,
  function() return tostring(nil) .. nil end,
  function() assert(false, "assert msg") end,
  function() assert(nil) end,
}
for i, c in ipairs(cases) do
  print(i, xpcall(c, h))
end
end
do
local function show(l) for i = 1, 4 do local n, v = debug.getlocal(l, i); if not n then break end; print(l, i, n, type(v)) end end
pcall(function(a) show(3) end, 1, 2)
xpcall(function() show(3) end, print)
pcall(show, 2)
print(xpcall(function() error("e") end, function(m) show(3) show(4) return m end))
print(xpcall(function() error("e") end, function(m) error("again") end))
print(select('#', xpcall(function(...) return 1, 2, 3 end, print)))
print(xpcall(function(...) return 1, 2, 3 end, print))
print(pcall(xpcall))
print(pcall(xpcall, print))
end
