-- sorting larger arrays: presorted, reversed, all equal, random-like
local function check(t)
  for i = 2, #t do if t[i - 1] > t[i] then return "unsorted" end end
  return "sorted " .. #t
end
local a, b, c, d = {}, {}, {}, {}
for i = 1, 2000 do a[i] = i; b[i] = 2001 - i; c[i] = 7; d[i] = (i * 104729) % 2003 end
table.sort(a); table.sort(b); table.sort(c); table.sort(d)
print(check(a), check(b), check(c), check(d), d[1], d[1000], d[2000])
local s = {}
for i = 1, 500 do s[i] = tostring((i * 31) % 97) end
table.sort(s)
print(s[1], s[250], s[500])
