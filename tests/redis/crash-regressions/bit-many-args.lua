-- bit: band and bxor with 7000 arguments
local t = {}
for i = 1, 7000 do t[i] = i end
return {bit.band(unpack(t)), bit.bxor(unpack(t)), bit.bor(unpack(t))}
