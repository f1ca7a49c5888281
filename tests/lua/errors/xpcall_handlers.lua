-- xpcall calls the handler with the error and returns its result
local function handler(e) return "handled: " .. tostring(e) end
print(xpcall(function() error("boom") end, handler))
print(xpcall(function() return "fine", 2 end, handler))
print(xpcall(function() error({}) end, function(e) return type(e) end))
print(xpcall(function() local x = nil; return x.y end, function(e) return "H(" .. e .. ")" end))
print(xpcall(function() error("two results") end, function(e) return 1, 2 end))
print(pcall(xpcall, function() end))
print(xpcall(error, function(e) return "error called with no message: " .. tostring(e) end))
