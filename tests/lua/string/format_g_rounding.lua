-- %g and tostring (lua5.1's "%.14g") round to the given number of
-- significant digits exactly as C's printf does, including the values
-- whose rounding carries into a new power of ten and the `#` flag, which
-- keeps trailing zeros (glibc then prints 999.7 with "%#.3g" as "1.e+03").
local values = {
  0, -0.0, 0.1, 0.5, 1/3, 2/3, 1e-5, 1e-4, 9.9999e-5, 123456, 1e14, 1e15,
  1e16, 1e21, 1e22, 1e23, 0.1 + 0.2, 99999999999999.99, 99999999999999.5,
  999.7, 99.97, 9.997, 0.0009997, 0.000099997, 9999.7, 99999.5, 99999.4,
  2.5, 0.25, 1.5e300, 123.456, -7e-10, 5e-324, 2.2250738585072014e-308,
  1e308 * 10, -(1e308 * 10), 2^53, 2^53 + 1, 2^63, 1/7, 100/3, 12345.5,
  0.30000000000000004, 4.35, 4.45, 1.005, 2.675, 1e-300 / 3,
}
for _, v in ipairs(values) do
  local parts = {tostring(v), v .. ""}
  for _, f in ipairs({"%g", "%.1g", "%.3g", "%.6g", "%.14g", "%.15g", "%.17g",
                      "%#g", "%#.1g", "%#.3g", "%#.6g", "%#.14g", "%G", "%#.3G",
                      "%10.3g", "%-12.4g|", "%+.5g", "% .2g"}) do
    parts[#parts + 1] = string.format(f, v)
  end
  print(table.concat(parts, " "))
end
-- Numbers in generated keys and messages.
local t = {}
for i = 1, 50 do t[#t + 1] = i / 8 .. ":" .. (i * 0.1) .. ":" .. (i * 1e-7) end
print(table.concat(t, ","))
