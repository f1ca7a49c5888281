-- a negative width gives upper-case digits
local out = {}
for n = 1, 8 do out[n] = bit.tohex(0xabcdef12, -n) end
return out
