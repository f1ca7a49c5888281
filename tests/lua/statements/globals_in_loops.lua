-- assigning globals inside loops and functions, and reading them back through _G
for i = 1, 3 do _G["g" .. i] = i * i end
print(g1, g2, g3)
local function set() counter = (counter or 0) + 1 end
for i = 1, 5 do set() end
print(counter, _G.counter, rawget(_G, "counter"))
g1, g2 = nil, nil
print(g1, g2, g3)
