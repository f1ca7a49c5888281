-- string.dump writes Lua 5.1's binary chunk, byte for byte (issue 15):
-- nested functions with upvalues, constants of each type, varargs
local up = 10
local function f(a, ...)
  local t = {a, ...}
  if a == "k" then return t, 2.5, true, nil end
  return up + #t
end
local g = function() return f end
return {string.dump(f), string.dump(g), #string.dump(f)}
