-- indexing with dots, brackets, numeric keys normalised (1 and 1.0 are one key)
local t = {}
t.a = 1; t["b"] = 2; t[1] = "one"; t[1.0] = "uno"; t[2^53] = "big"
print(t.a, t.b, t["a"], t[1], t[2^53])
t[-0.0] = "zero"
print(t[0], t[-0])
t["1"] = "string one"
print(t[1], t["1"])
local k = "dyn"
t[k .. "amic"] = true
print(t.dynamic, t.missing)
print(pcall(function() t[nil] = 1 end))
print(pcall(function() t[0/0] = 1 end))
print(t[nil], t[0/0])
