-- errors raised inside metamethods propagate with their own positions
local t = setmetatable({}, {
  __index = function(_, k) error("index " .. k) end,
  __add = function() error({ code = 7 }) end,
  __call = function() error("called", 2) end,
})
print(pcall(function() return t.key end))
local ok, e = pcall(function() return t + 1 end)
print(ok, type(e), e.code)
print(pcall(function() t() end))
