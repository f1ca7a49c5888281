-- negative float steps and limits that are not reached exactly
local out = {}
for x = 1, -1, -0.3 do out[#out + 1] = string.format("%.2f", x) end
print(table.concat(out, " "))
out = {}
for x = -0.5, -3, -1 do out[#out + 1] = x end
print(table.concat(out, " "))
out = {}
for x = 10, 1, -2.5 do out[#out + 1] = x end
print(table.concat(out, " "))
