-- numeric for with float start, limit and step accumulates by repeated addition
local out = {}
for x = 0, 1, 0.1 do out[#out + 1] = string.format("%.17g", x) end
print(#out, out[#out])
out = {}
for x = 1, 0, -0.25 do out[#out + 1] = x end
print(table.concat(out, " "))
out = {}
for x = 0.5, 3 do out[#out + 1] = x end
print(table.concat(out, " "))
out = {}
for x = 1, 2.5, 0.5 do out[#out + 1] = x end
print(table.concat(out, " "))
local n = 0
for x = 0, 0.3, 0.1 do n = n + 1 end
print("0..0.3 by 0.1 runs", n)
