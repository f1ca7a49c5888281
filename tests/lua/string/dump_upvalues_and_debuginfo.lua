-- string.dump of closures with upvalues (they come back as nil), nested functions, debug info and trailing bytes
local up = 10
local function f(a, ...)
  local t = {a, ...}
  local function g(x) return x * 2 end
  for i = 1, #t do t[i] = g(t[i]) end
  if a == 0 then error("zero!") end
  return unpack(t)
end
local d = string.dump(f)
local f2 = loadstring(d)
print(f2(1, 2, 3))
print(pcall(f2, 0))
print(pcall(f2, {}))
local h = loadstring(string.dump(function() return up end))
print(pcall(h))
local counter = loadstring(string.dump(function() up = (up or 0) + 1 return up end))
print(counter(), counter(), up)
print(type(loadstring(d .. "trailing bytes")))
print(loadstring(d:sub(1, 30)))
print(loadstring(d:sub(1, 3)))
print(loadstring(d, "=named") ~= nil)
local info = debug.getinfo(f2, "S")
print(info.source, info.short_src, info.linedefined, info.lastlinedefined, info.what)
print(string.dump(loadstring("return 1")) == string.dump(loadstring("return 1")))
print(pcall(string.dump, coroutine.create))
