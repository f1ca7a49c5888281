-- infinities, negative zero and NaN through arithmetic and printing
local inf, ninf = 1/0, -1/0
print(inf, ninf, inf + ninf ~= inf + ninf)
print(inf * 0 ~= inf * 0, inf - inf ~= inf - inf)
print(1 / inf, -1 / inf, 1 / (-1 / inf))
local zero, minus1 = 0, -1
local nz = -zero
print(nz, zero * minus1, 1 / nz, nz == zero, -zero == zero)
print(math.huge == inf, -math.huge == ninf)
print(inf > 1e308, ninf < -1e308)
local nan = 0/0
print(nan == nan, nan ~= nan, nan < 1, nan > 1, nan <= nan, not (nan >= nan))
