-- getfenv(n) walks up the call stack, counting only active function calls
local e1, e2, e3 = { n = "e1" }, { n = "e2" }, { n = "e3" }
local function level3() return getfenv(1).n, getfenv(2).n, getfenv(3).n end
local function level2() local a, b, c = level3() return a, b, c end
local function level1() local a, b, c = level2() return a, b, c end
setfenv(level3, setmetatable(e3, { __index = _G }))
setfenv(level2, setmetatable(e2, { __index = _G }))
setfenv(level1, setmetatable(e1, { __index = _G }))
print(level1())
