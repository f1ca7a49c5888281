-- tracebacks started at different levels inside nested calls
local function c(level) return debug.traceback("from c", level) end
local function b(level) local r = c(level) return r end
local function a(level) local r = b(level) return r end
for _, lv in ipairs({ 1, 2, 3, 4, 5 }) do print(a(lv)) end
