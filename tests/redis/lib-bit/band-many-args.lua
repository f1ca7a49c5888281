-- band with 100 arguments
local args = {}
for i = 1, 100 do args[i] = -1 - (i % 2) end
return bit.band(unpack(args))
