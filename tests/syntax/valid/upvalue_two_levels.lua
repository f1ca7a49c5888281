local a
local function f() return function() return a end end
