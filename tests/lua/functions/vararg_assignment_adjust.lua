-- assigning ... to more or fewer variables pads with nil or drops extras
local function f(...)
  local a, b, c = ...
  local d = ...
  local e, g = ..., "fixed"
  return a, b, c, d, e, g
end
print(f(1, 2, 3, 4))
print(f(1))
print(f())
