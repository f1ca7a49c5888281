-- arithmetic on a nil local
local x
return x + 1
