-- wrap rethrows error values unchanged; string errors get the caller's position prefixed
local w = coroutine.wrap(function() error(setmetatable({}, { __tostring = function() return "custom err" end })) end)
local ok, e = pcall(w)
print(ok, tostring(e), type(e))
local w2 = coroutine.wrap(function() error(nil) end)
print(pcall(w2))
local w3 = coroutine.wrap(function() error(true) end)
print(pcall(w3))
