-- default values through a shared __index table and per-instance overrides
local defaults = { color = "black", size = 10, visible = true }
local mt = { __index = defaults }
local function widget(t) return setmetatable(t or {}, mt) end
local w1, w2 = widget({ color = "red" }), widget()
print(w1.color, w1.size, w2.color, w2.visible)
defaults.size = 12
print(w1.size, w2.size)
w2.visible = false
print(w2.visible, defaults.visible, rawget(w1, "visible"))
