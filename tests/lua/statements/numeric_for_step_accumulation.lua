-- the loop variable after many float steps shows accumulated rounding exactly like lua5.1
local last, n = nil, 0
for x = 0, 10, 0.1 do last = x n = n + 1 end
print(n, string.format("%.17g", last))
n = 0
for x = 1, 0, -0.1 do last = x n = n + 1 end
print(n, string.format("%.17g", last))
n = 0
for x = 0, 1, 1/3 do n = n + 1 last = x end
print(n, string.format("%.17g", last))
