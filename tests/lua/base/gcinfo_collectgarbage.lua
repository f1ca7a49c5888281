-- gcinfo and collectgarbage("count") agree in kind (kilobytes as numbers)
print(type(gcinfo()), gcinfo() >= 0)
local before = collectgarbage("count")
local keep = {}
for i = 1, 10000 do keep[i] = { i } end
print(collectgarbage("count") > before)
keep = nil
print(collectgarbage("collect"))
