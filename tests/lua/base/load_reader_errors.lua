-- errors raised by the reader function propagate out of load
print(pcall(load, function() error("reader failed") end))
local n = 0
local ok, f2, e2 = pcall(load, function() n = n + 1 if n > 1 then error({ "obj" }) end return "return" end)
print(ok, f2, type(e2), e2[1])
local f = load(function() return nil end)
print(type(f), f and f())
