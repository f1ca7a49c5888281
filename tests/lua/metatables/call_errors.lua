-- calling values without __call, or with a non-function __call
local plain = {}
print(pcall(function() plain() end))
print(pcall(function() local x = setmetatable({}, { __call = 42 }) x() end))
print(pcall(function() local x = setmetatable({}, { __call = setmetatable({}, { __call = print }) }) x() end))
print(pcall(function() local n = 5 n() end))
print(pcall(function() ("str")() end))
local mt = { __call = function(self, x) return x * 2 end }
local a = setmetatable({}, mt)
print(a(21))
mt.__call = nil
print(pcall(function() return a(1) end))
