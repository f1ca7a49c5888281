if x then end
local a
local b = nil
