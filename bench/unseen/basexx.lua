-- basexx: base64, base32 and hex round trips
local basexx = require "basexx"
local parts = {}
for i = 1, 3000 do parts[i] = string.char(i % 256, (i * 7) % 256, (i * 13) % 256) end
local data = table.concat(parts)
local total = 0
for r = 1, 10 do
  local a = basexx.to_base64(data); total = total + #a + #basexx.from_base64(a)
  local b = basexx.to_base32(data); total = total + #b + #basexx.from_base32(b)
  local c = basexx.to_hex(data); total = total + #c + #basexx.from_hex(c)
end
print("basexx", total)
