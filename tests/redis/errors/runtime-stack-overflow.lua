-- infinite recursion ends in a stack overflow error
local function f(n) return 1 + f(n + 1) end
return f(1)
