-- Hooks belong to threads: a hook set inside a coroutine (the first hook
-- of the program) stays with it across resumes, the main thread has none;
-- a coroutine resumed from a __gc finalizer runs its own hooks.
local log = {}
local co = coroutine.create(function()
  debug.sethook(function(e) log[#log + 1] = "co:" .. e end, "c")
  local x = math.abs(-1)
  coroutine.yield()
  local y = math.abs(-2)
  coroutine.yield()
  debug.sethook()
  local z = math.abs(-3)
end)
print(debug.gethook())
coroutine.resume(co)
print(debug.gethook())
local a = math.abs(-4)
print(#log)
coroutine.resume(co)
print(#log, type(debug.gethook(co)))
coroutine.resume(co)
print(#log, debug.gethook(co))
print(table.concat(log, " "))

local log2 = {}
local c2 = coroutine.create(function()
  debug.sethook(function(e) log2[#log2 + 1] = e end, "c")
  local x = math.abs(-1)
  coroutine.yield()
  local y = math.abs(-2)
  debug.sethook()
end)
local p = newproxy(true)
getmetatable(p).__gc = function() coroutine.resume(c2) end
p = nil
collectgarbage()
collectgarbage()
print(coroutine.status(c2), #log2)
coroutine.resume(c2)
print(coroutine.status(c2), #log2, table.concat(log2, " "))
