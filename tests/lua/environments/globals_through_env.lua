-- global access goes through the function's environment, including __index/__newindex on it
local log = {}
local env = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "get " .. k return _G[k] end,
  __newindex = function(t, k, v) log[#log + 1] = "set " .. k rawset(t, k, v) end,
})
local function body()
  counter = 1
  counter = counter + 1
  return type(counter), tostring(counter)
end
setfenv(body, env)
print(body())
print(table.concat(log, ", "))
print(rawget(env, "counter"), counter)
