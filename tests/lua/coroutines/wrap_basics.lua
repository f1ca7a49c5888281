-- coroutine.wrap returns a function that resumes and returns the yielded values
local gen = coroutine.wrap(function(a)
  local b = coroutine.yield(a * 2)
  local c, d = coroutine.yield(b + 1)
  return c .. d
end)
print(gen(5))
print(gen(10))
print(gen("x", "y"))
print(type(gen))
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local s = 0
for i in range(100) do s = s + i end
print(s)
