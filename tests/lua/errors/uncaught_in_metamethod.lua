-- uncaught: an error raised inside an __index function
local t = setmetatable({}, { __index = function(_, k) error("no field " .. k) end })
print(t.name)
