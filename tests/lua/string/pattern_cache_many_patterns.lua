-- Many distinct patterns used in turn (more than any cache of recent
-- patterns holds, so slots are shared and replaced), each checked on
-- subjects where a wrong prefilter or a stale entry would show: anchored
-- and not, required characters, classes, captures.
local pats = {}
for i = 1, 300 do
  local c = string.char(97 + i % 26)
  local d = string.char(48 + i % 10)
  local kind = i % 6
  if kind == 0 then pats[i] = "^" .. c .. "+"
  elseif kind == 1 then pats[i] = "(" .. c .. ")" .. d
  elseif kind == 2 then pats[i] = "[" .. c .. d .. "]+" .. "%d*"
  elseif kind == 3 then pats[i] = c .. "%w-" .. d .. "$"
  elseif kind == 4 then pats[i] = "%s*(" .. c .. "+)%s*=" .. string.rep("x", i % 7)
  else pats[i] = c .. d .. "?" .. c end
end
local subjects = { "aaa1 bb2 cc3", "  zz =xxx", "q7q", "k1k2k3", "mno5", "", "x0x9 yy=xxxxxx" }
local sum, out = 0, {}
for round = 1, 3 do
  for i = 1, #pats do
    local p = pats[(i * 7 + round) % #pats + 1]
    for _, s in ipairs(subjects) do
      local a, b, cap = string.find(s, p)
      if a then sum = sum + a * 3 + b + #(cap or "") end
      local m = string.match(s, p)
      if m then sum = sum + #m end
      local g, n = string.gsub(s, p, "<%0>")
      sum = sum + n + #g
    end
  end
  out[#out + 1] = sum
end
print(table.concat(out, " "))
