-- coroutines created with a function keep the function's environment
local env = setmetatable({ who = "function env" }, { __index = _G })
local f = setfenv(function() return who end, env)
local co = coroutine.wrap(f)
who = "global who"
print(co(), f())
