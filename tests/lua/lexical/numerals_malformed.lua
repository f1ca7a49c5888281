-- malformed numbers are syntax errors with the offending token
local cases = { "return 3e", "return 0x", "return 1..2", "return 3.4.5", "return 12abc", "return 0xg", "return 1e+", "return 2_0" }
for i, src in ipairs(cases) do
  local f, err = loadstring(src)
  print(i, src, f == nil, err)
end
