-- The state of a thread waiting in resume (status "normal") seen from the
-- coroutine it resumed: locals, levels, hooks and upvalues, then the same
-- thread after it runs again; a yield's return hook fires when resumed.
local function show(...)
  local t, n = {...}, select('#', ...)
  for i = 1, n do t[i] = tostring(t[i]) end
  print(n, table.concat(t, ", "))
end

local A
A = coroutine.create(function()
  local secret = "a-local"
  local B = coroutine.create(function()
    show("A status", coroutine.status(A))
    show(debug.getlocal(A, 1, 1))
    show(debug.setlocal(A, 1, 1, "changed"))
    show(debug.getinfo(A, 1, "l").currentline, debug.getinfo(A, 0, "n").name)
    debug.sethook(A, function(e) io.write("hookA:", e, " ") end, "r")
    local f, mask, count = debug.gethook(A)
    show(type(f), mask, count)
    print(debug.traceback(A, "tb", 0))
    coroutine.yield("B1")
    return "B done"
  end)
  show(coroutine.resume(B))
  debug.sethook(A)
  print()
  show("secret", secret)
  show(coroutine.resume(B))
  show(coroutine.resume(B))
  show(debug.gethook(A))
  return "A done"
end)
show(coroutine.resume(A))
show(coroutine.status(A))

-- Upvalues of threads that wait in resume, read and written two levels up.
local up = 10
local c4 = coroutine.create(function()
  local mine = 1
  local c5 = coroutine.create(function()
    up = up + 1
    mine = mine + 100
    show("inner", up, mine)
  end)
  coroutine.resume(c5)
  up = up * 2
  show("middle", up, mine)
end)
coroutine.resume(c4)
show("outer", up)

-- A collection while three threads wait keeps every waiting thread's
-- locals.
local function deep(n)
  local keep = {n}
  if n == 0 then
    collectgarbage()
    collectgarbage()
    return 0
  end
  local c = coroutine.create(deep)
  local ok, v = coroutine.resume(c, n - 1)
  return v + keep[1]
end
show(deep(3))

-- The return hook of a yield fires when the coroutine is resumed.
local c9 = coroutine.create(function()
  debug.sethook(function(e) io.write(e, " ") end, "r")
  local v = coroutine.yield(1)
  return v
end)
show(coroutine.resume(c9))
show(coroutine.resume(c9, "v"))
print()

-- Call hooks name resume and the wrap function.
local names = {}
local cw = coroutine.wrap(function() coroutine.yield() end)
debug.sethook(function(e)
  local i = debug.getinfo(2, "n")
  names[#names + 1] = e .. ":" .. tostring(i and i.name)
end, "cr")
cw()
coroutine.resume(coroutine.create(function() end))
debug.sethook()
print(table.concat(names, " "))
