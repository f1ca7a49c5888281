-- an environment whose __index computes values on demand for missing globals
local computed = 0
local env = setmetatable({}, { __index = function(t, name)
  computed = computed + 1
  if name:match("^n%d+$") then return tonumber(name:sub(2)) * 10 end
  return _G[name]
end })
local f = loadstring("return n1 + n2 + n30, type(print)")
setfenv(f, env)
print(f())
print(computed)
