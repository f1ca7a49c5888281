-- numeric for near 2^53, with infinite limits, and string bounds converted to numbers
local out = {}
for i = 2^53 - 3, 2^53 - 1 do out[#out + 1] = string.format("%.0f", i) end
print(table.concat(out, " "))
local n = 0
for i = 1, math.huge do n = n + 1 if n == 5 then break end end
print(n)
n = 0
for i = -1, -math.huge, -1 do n = n + 1 if n == 3 then break end end
print(n)
for i = 1, -math.huge do print("never") end
for i = "1", "3" do io.write(i, type(i), " ") end
print()
for i = 1, 2, "0.5" do io.write(i, " ") end
print()
n = 0
for i = 1e300, 1e308, 1e307 do n = n + 1 end
print(n)
