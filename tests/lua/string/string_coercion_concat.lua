-- numbers converted to strings keep 14 significant digits
local vals = { 1, -1, 0.5, 1/3, 100, 1e15, 1e16, 123456789012, 2^53, -2^63, 1e-10, 3.0 }
for _, v in ipairs(vals) do io.write(v .. "", " ") end
print()
print(#(1/3 .. ""), (1e300 * 10) .. "", (-1e300 * 10) .. "")
