-- max and min over many arguments, mixed with strings and infinities
local t = {}
for i = 1, 100 do t[i] = (i * 37) % 101 - 50 end
print(math.max(unpack(t)), math.min(unpack(t)))
print(math.max(1, "10", 2), math.min("-5", -4), math.max(-math.huge, -1e308), math.min(math.huge, 1e308))
local z = 0
local nz = -z
print(math.max(3), math.min(3), math.max(z, nz), math.min(z, nz), math.max(nz, z), math.min(nz, z))
