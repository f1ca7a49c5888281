-- calling a number
local n = 5
n()
