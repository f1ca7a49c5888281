-- arithmetic metamethods may return any value, and only the first result is used
local mt = {
  __add = function() return nil end,
  __sub = function() return false end,
  __mul = function() return {} end,
  __div = function() return "str", "ignored" end,
  __mod = function() end,
  __pow = function() return print end,
}
local t = setmetatable({}, mt)
print(t + 1, t - 1, type(t * 1), t / 1, t % 1, (t ^ 1) == print)
local a, b = t / 1
print(a, b)
