-- tohex with widths 1 to 8
local out = {}
for n = 1, 8 do out[n] = bit.tohex(0x12345678, n) end
return out
