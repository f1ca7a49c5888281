-- __len in the string metatable is not used by #; __index on strings can be replaced
local smt = getmetatable("")
smt.__len = function() return 99 end
print(#"abc")
smt.__len = nil
local old = smt.__index
smt.__index = function(s, k) if k == "first" then return s:sub(1, 1) end return old[k] end
print(("hello").first, ("hello"):upper())
smt.__index = old
print(("hello").first)
