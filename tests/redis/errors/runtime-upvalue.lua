-- an error naming an upvalue
local up
local function f() return up.x end
return f()
