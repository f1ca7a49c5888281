-- calendar arithmetic without os: leap years, day of week, day numbers and a month grid
local function leap(y) return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0 end
local mdays = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
local function days_in(m, y) return (m == 2 and leap(y)) and 29 or mdays[m] end
local function dow(y, m, d)
  local t = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 }
  if m < 3 then y = y - 1 end
  return (y + math.floor(y / 4) - math.floor(y / 100) + math.floor(y / 400) + t[m] + d) % 7
end
local function daynum(y, m, d)
  local n = d
  for i = 1, m - 1 do n = n + days_in(i, y) end
  return n
end
local names = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" }
for _, dt in ipairs({ { 2000, 1, 1 }, { 2024, 2, 29 }, { 1969, 7, 20 }, { 2100, 3, 1 }, { 1900, 12, 31 } }) do
  print(string.format("%04d-%02d-%02d %s day %d leap=%s", dt[1], dt[2], dt[3], names[dow(dt[1], dt[2], dt[3]) + 1], daynum(dt[1], dt[2], dt[3]), tostring(leap(dt[1]))))
end
local y, m = 2024, 2
print("   February 2024")
print("Su Mo Tu We Th Fr Sa")
local line = ("   "):rep(dow(y, m, 1))
for d = 1, days_in(m, y) do
  line = line .. string.format("%2d", d)
  if dow(y, m, d) == 6 then print(line) line = "" else line = line .. " " end
end
if line ~= "" then print((line:gsub("%s+$", ""))) end
