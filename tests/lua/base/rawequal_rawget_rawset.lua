-- raw accessors on plain tables and with metatables present
local t = setmetatable({ a = 1 }, { __index = { b = 2 }, __newindex = function() end })
print(rawget(t, "a"), rawget(t, "b"), t.b)
rawset(t, "c", 3)
t.d = 4
print(rawget(t, "c"), rawget(t, "d"))
print(rawequal(t, t), rawequal(t, {}), rawequal("x", "x"), rawequal(0, -0))
print(rawget(t, 1), rawset(t, 1, "one")[1])
