-- negative zero results of fmod, modf, ceil and multiplication print as -0
local z = 0
local nz = -z
print(nz, math.fmod(-4, 2), math.fmod(-0.5, 1) , math.ceil(-0.5))
print(math.modf(-0.25))
print(nz * 1, nz + 0, 0 - nz, nz * nz)
print(1 / math.ceil(-0.5), 1 / math.floor(0.5))
