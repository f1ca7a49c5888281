-- numerals written inside strings convert the same way as literals
local samples = { "10", "0x10", "  5  ", "1e2", ".5", "5.", "0x1p4", "1e", "abc", "", " ", "0x", "1 2", "\t7\n", "inf", "nan", "-0x10", "+3" }
for _, s in ipairs(samples) do
  print(string.format("%q", s), tonumber(s))
end
