-- errors inside the message handler itself, and a non-function handler
print(xpcall(function() error("first") end, function(e) error("in handler") end))
print(xpcall(function() error("first") end, 42))
print(xpcall(function() error("first") end, nil))
print(xpcall(function() return "no error" end, 42))
local depth = 0
print(xpcall(function() error("x") end, function(e) depth = depth + 1 local t = nil return t.x end))
print(depth > 0)
