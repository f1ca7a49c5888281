-- a script that returns nothing replies with a null bulk string
local x = 1
