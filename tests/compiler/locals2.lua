x = 1
local a
local b
