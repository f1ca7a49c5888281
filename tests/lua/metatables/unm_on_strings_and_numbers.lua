-- unary minus converts numeric strings and ignores metatables of numbers and strings
print(-"2", -" 3 ", -"0x10", -"1e1")
print(pcall(function() return -"abc" end))
local smt = getmetatable("")
smt.__unm = function(s) return "negated " .. s end
print(pcall(function() return -"abc" end))
print(-"5")
smt.__unm = nil
