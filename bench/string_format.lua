-- bench: string.format with integer, float and string conversions
local total = 0
local last
for i = 1, 1400000 do
  local s = string.format("%d:%5.2f:%s:%x:%-8s|%e", i, i / 7, "item", i, "pad", i * 1.5)
  total = total + #s
  if i % 3 == 0 then last = string.format("%q %g %05d", "a\"b", i / 3, i % 1000) total = total + #last end
end
print("total", total, last)
