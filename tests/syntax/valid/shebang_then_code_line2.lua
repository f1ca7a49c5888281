# not lua at all ( [ {
local x = 1
