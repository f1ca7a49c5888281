-- raw accessors with every kind of key
local t = {}
local keys = { 1, 1.5, "s", true, false, t, print }
for i, k in ipairs(keys) do rawset(t, k, i) end
for i, k in ipairs(keys) do io.write(tostring(rawget(t, k)), " ") end
print()
print(rawget(t, 2), rawget(t, "1"), rawget(t, 1.0))
