-- arithmetic metamethods on the string metatable apply to non-numeric strings only
local smt = getmetatable("")
smt.__add = function(a, b) return "added(" .. tostring(a) .. "," .. tostring(b) .. ")" end
print("10" + 1, "abc" + 1, 1 + "xyz")
smt.__concat = function(a, b) return "never for strings" end
print("a" .. "b", "a" .. 1)
smt.__add = nil
smt.__concat = nil
print(pcall(function() return "abc" + 1 end))
