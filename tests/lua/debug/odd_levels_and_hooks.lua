-- debug library details checked against lua5.1: tail-call levels, odd
-- traceback levels, a hook with an empty mask, no hooks inside __gc, and
-- a call/return hook still set when the main chunk ends.
local function fields(t)
  if not t then return tostring(t) end
  local k = {}
  for n, v in pairs(t) do
    if type(v) ~= "function" and type(v) ~= "table" then k[#k + 1] = n .. "=" .. tostring(v) end
  end
  table.sort(k)
  return table.concat(k, " ")
end
-- The level a tail call replaced: name and namewhat are "".
local function g() print(fields(debug.getinfo(2))) print(fields(debug.getinfo(2, "n"))) return 1 end
local function f() return g() end
f()
print(fields(debug.getinfo(-1)))
print(fields(debug.getinfo(-3, "Sn")))
-- Negative traceback levels are tail-call entries.
for _, l in ipairs{-1, -3, 0, 1, 2, 3, 50} do print(l, debug.traceback("m", l)) end
print(debug.traceback("m", -1.5))
local co = coroutine.create(function() coroutine.yield() end)
coroutine.resume(co)
print(debug.traceback(co, "msg", -1))
print(debug.traceback(co, "msg", -2))
-- A hook with an empty or unknown mask stays registered but never runs.
local function hk() print("hook ran") end
debug.sethook(hk, "x")
print(select("#", debug.gethook()), debug.gethook() == hk, select(2, debug.gethook()))
debug.sethook(hk, "")
print(debug.gethook() == hk)
debug.sethook()
print(debug.gethook())
-- No hook events inside __gc metamethods.
local n = 0
debug.sethook(function() n = n + 1 end, "cr")
for _ = 1, 20 do
  local u = newproxy(true)
  getmetatable(u).__gc = function() local _ = tostring(1) end
end
collectgarbage()
collectgarbage()
debug.sethook()
print("events", n)
-- A call/return hook left set: the events up to the end of the chunk.
local function hook(ev)
  local i = debug.getinfo(2, "Sln")
  io.write(ev, " ", tostring(i.name), " ", tostring(i.namewhat), " ", i.what, " ",
    i.short_src, ":", i.currentline, "\n")
end
local function r(k) if k > 0 then return r(k - 1) end return 1 end
debug.sethook(hook, "cr")
r(2)
print("end")
