-- debug.traceback with messages, levels and non-string messages
local function c() return debug.traceback("msg from c") end
local function b() return c() .. "" end
local function a() local r = b() return r end
print(a())
print(debug.traceback())
print(debug.traceback("level 2", 2))
print(debug.traceback(nil))
local t = {}
print(debug.traceback(t) == t, debug.traceback(42))
print(debug.traceback("", 1))
local function deep(n) if n == 0 then return debug.traceback("deep") end return (deep(n - 1)) end
print(deep(30))
