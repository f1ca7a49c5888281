-- I1 to I8
local out = {}
for n = 1, 8 do out[n] = struct.pack("<I" .. n, 258) end
return out
