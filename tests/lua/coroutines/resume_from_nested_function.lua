-- resume and yield called through helper functions at different depths
local function helper_yield(v) return coroutine.yield(v) end
local function deep_helper(v) return helper_yield(v * 2) end
local co = coroutine.create(function(a)
  local b = deep_helper(a)
  local c = helper_yield(b + 1)
  return a + b + c
end)
local function resume_helper(...) return coroutine.resume(co, ...) end
print(resume_helper(5))
print(resume_helper(100))
print(resume_helper(1000))
print(resume_helper())
