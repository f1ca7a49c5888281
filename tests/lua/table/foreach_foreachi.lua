-- table.foreach visits all pairs, table.foreachi the array part; a non-nil result stops them
local t = { "a", "b", "c" }
table.foreachi(t, function(i, v) io.write(i, v, " ") end)
print()
print(table.foreachi(t, function(i, v) if v == "b" then return "stopped at " .. i end end))
local keys = {}
table.foreach({ x = 1, y = 2, z = 3 }, function(k, v) keys[#keys + 1] = k .. v end)
table.sort(keys)
print(table.concat(keys, " "))
print(table.foreach({ 10, 20 }, function(k, v) if k == 2 then return v, "extra" end end))
print(pcall(table.foreach, {}, 1))
print(pcall(table.foreachi, nil, print))
