-- metamethods are fetched from the metatable with a raw access, never through its own __index
local proto = { __add = function() return "inherited add" end, __index = function() return "idx" end }
local mt = setmetatable({}, { __index = proto })
local t = setmetatable({}, mt)
print(pcall(function() return t + 1 end))
print(t.anything)
mt.__index = proto.__index
print(t.anything)
mt.__add = proto.__add
print(t + 1)
