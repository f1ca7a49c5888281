-- environments inside coroutines: level 1 is the coroutine's function, level 0 its thread
local env = setmetatable({ tag = "co env" }, { __index = _G })
local function body()
  coroutine.yield(getfenv(1).tag, getfenv(0) == _G)
  setfenv(1, setmetatable({ tag = "changed inside" }, { __index = _G }))
  coroutine.yield(tag)
end
setfenv(body, env)
local co = coroutine.create(body)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(getfenv(body).tag)
