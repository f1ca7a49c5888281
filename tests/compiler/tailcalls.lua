local function a() return a() end
local function b(x) return x:m(1) end
local function c(x) return (c(x)) end
local function d(x) return x, d(x) end
local function e(x) return d(x), x end
local function g(...) return select(1, ...) end
local function h() return f"x" end
local function i() return f{} end
local function j(t) return t.x.y(1) end
return g(1)
