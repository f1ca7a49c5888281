-- function t:m() is function t.m(self); both call forms pass the same self
local t = { v = 1 }
function t:get() return self.v end
function t.get2(self) return self.v end
print(t:get(), t.get(t), t:get2(), t.get2(t))
local info = debug.getinfo(t.get, "u")
print(info.nups)
local n = 0
local ok, e = pcall(function() return t.get() end)
print(ok, e)
