-- bench: string.find, string.match and string.gmatch with captures and classes
local lines = {}
for i = 1, 2000 do
  lines[i] = string.format("user%d@example%d.com 2024-%02d-%02d GET /path/%d/item?id=%d 200 %d", i, i % 10, i % 12 + 1, i % 28 + 1, i, i * 3, i * 17 % 5000)
end
local found, sum, words = 0, 0, 0
for round = 1, 160 do
  for _, l in ipairs(lines) do
    local user, host = l:match("^(%w+)@([%w%.]+)")
    local y, m, d = l:match("(%d+)-(%d+)-(%d+)")
    if l:find("item?id=", 1, true) then found = found + 1 end
    local size = tonumber(l:match("(%d+)$"))
    sum = sum + size + tonumber(m) + #user + #host
    for w in l:gmatch("%a+") do words = words + 1 end
  end
end
print("found", found, "sum", sum, "words", words)
