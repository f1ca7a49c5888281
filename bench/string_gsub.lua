-- bench: string.gsub with string, table and function replacements
local text = ("The quick brown fox jumps over the lazy dog. "):rep(200)
local map = { quick = "slow", brown = "red", lazy = "energetic" }
local total = 0
for round = 1, 2500 do
  local a, n1 = text:gsub("o", "0")
  local b, n2 = text:gsub("%w+", map)
  local c, n3 = text:gsub("(%w+) (%w+)", "%2 %1")
  local d, n4 = text:gsub("%a+", function(w) return #w > 4 and w:upper() or nil end)
  total = total + n1 + n2 + n3 + n4 + #a + #b + #c + #d
end
print("total", total)
