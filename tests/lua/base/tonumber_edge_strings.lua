-- tonumber on strings with whitespace, signs, exponents and trailing characters
local cases = { "1", " 1", "1 ", "\t1\n", "+1", "-1", "- 1", "1e", "1e+", "1e+1", "1E-1", ".1", "1.", ".", "1..", "0x", "0xg", "0x1p", "1f", "1d", "inf", "-inf", "infinity", "nan", "0b1", "1,5", "1_000" }
for _, c in ipairs(cases) do io.write(string.format("%q", c), "=", tostring(tonumber(c)), " ") end
print()
