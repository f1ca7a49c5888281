-- ipairs stops at the first nil; pairs over an array visits in order
local t = { "a", "b", "c", nil, "e" }
for i, v in ipairs(t) do io.write(i, "=", v, " ") end
print()
local arr = { 10, 20, 30 }
local sum = 0
for k, v in pairs(arr) do sum = sum + k * v end
print(sum)
for i, v in ipairs({}) do print("never") end
local count = 0
for k in pairs({ x = 1, y = 2, z = 3 }) do count = count + 1 end
print(count)
local keys = {}
for k, v in pairs({ a = 1, b = 2, c = 3, d = 4 }) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys))
