-- comparing a number with nil
local v
return 1 < v
