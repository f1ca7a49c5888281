-- closures created inside a function inherit its environment at creation time
local env = { tag = "E" }
local function factory()
  return function() return tag end
end
setfenv(factory, env)
local made = factory()
print(made())
print(getfenv(made) == env)
tag = "global tag"
local plain = (function() return function() return tag end end)()
print(plain())
setfenv(factory, { tag = "F" })
print(made(), factory()())
