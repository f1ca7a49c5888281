-- weak-keyed tables keep string, number and boolean keys
local t = setmetatable({}, { __mode = "k" })
t["str"] = 1; t[10] = 2; t[true] = 3; t[2.5] = 4
collectgarbage("collect")
print(t.str, t[10], t[true], t[2.5])
