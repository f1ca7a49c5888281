-- a chain of 150 __index tables
local t = {found = "bottom"}
for i = 1, 150 do t = setmetatable({}, {__index = t}) end
return {pcall(function() return t.found end)}
