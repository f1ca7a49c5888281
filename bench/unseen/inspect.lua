-- inspect.lua: render nested tables
local inspect = require "inspect"
local t = {}
for i = 1, 400 do t[i] = { name = "n" .. i, list = { i, i + 1, { deep = i } }, [i % 5 + 1] = true } end
local total = 0
for r = 1, 100 do total = total + #inspect(t) end
print("inspect", total)
