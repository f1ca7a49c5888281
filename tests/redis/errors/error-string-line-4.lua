-- the line in both the message and the suffix
local a = 1
local b = 2
error("on line four")
