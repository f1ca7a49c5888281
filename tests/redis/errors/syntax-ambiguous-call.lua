-- Lua 5.1 rejects a call on a new line after an expression
local f = function() return 1 end
local x = f
(f)()
