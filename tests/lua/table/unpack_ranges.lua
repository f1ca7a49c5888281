-- unpack with explicit ranges, holes, and its limits
print(unpack({ 1, 2, 3 }))
print(unpack({ 1, 2, 3 }, 2))
print(unpack({ 1, 2, 3 }, 2, 3))
print(unpack({ 1, 2, 3 }, 3, 2))
print(unpack({ 1, nil, 3 }, 1, 3))
print(unpack({}, 1, 3))
print(unpack({ "a", "b" }, -1, 1))
print(select("#", unpack({}, 1, 0)), select("#", unpack({ n = 5 })))
print(unpack({ 1, 2 }, "1", "2"))
print(pcall(unpack))
print(pcall(unpack, {}, 1, 1e8))
local big = {}
for i = 1, 5000 do big[i] = i end
print(select("#", unpack(big)), (select(5000, unpack(big))))
