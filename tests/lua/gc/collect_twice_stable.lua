-- repeated full collections are harmless and keep reachable data intact
local keep = {}
for i = 1, 1000 do keep[i] = { id = i, name = "n" .. i } end
for i = 1, 5 do collectgarbage("collect") end
local sum = 0
for i = 1, #keep do sum = sum + keep[i].id + #keep[i].name end
print(sum, collectgarbage("collect"))
