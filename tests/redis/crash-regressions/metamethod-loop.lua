-- an __index loop
local t = setmetatable({}, {})
getmetatable(t).__index = t
return {pcall(function() return t.x end)}
