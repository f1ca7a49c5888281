-- os.date("!*t") returns a table with every field; "*t" without "!" uses TZ=UTC here
local function show(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do out[#out + 1] = k .. "=" .. tostring(t[k]) end
  return table.concat(out, " ")
end
print(show(os.date("!*t", 0)))
print(show(os.date("!*t", 1234567890)))
print(show(os.date("*t", 1234567890)))
print(show(os.date("!*t", 951782400)))
print(os.time(os.date("*t", 1234567890)))
