-- errors inside __tostring propagate out of tostring and print
local t = setmetatable({}, { __tostring = function() error("no string for you") end })
print(pcall(tostring, t))
print(pcall(print, t))
print(pcall(string.format, "%s", "ok"))
