-- i1 to i8
local out = {}
for n = 1, 8 do out[n] = struct.pack(">i" .. n, -2) end
return out
