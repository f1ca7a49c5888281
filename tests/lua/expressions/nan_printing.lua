-- how NaN values print (glibc prints the sign of a NaN)
local nan = 0/0
print(nan, -nan, -(0/0))
print(tostring(0/0), tostring(-(0/0)))
print(math.huge - math.huge, math.sqrt(-1))
print(string.format("%f %g %e", 0/0, -(0/0), 0/0))
print(tonumber("nan"), tonumber("-nan"), tonumber("NAN"))
print(0/0 .. "", (-(0/0)) .. "")
