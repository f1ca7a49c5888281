-- The matcher's state and the analysed patterns are reused between calls:
-- nested matches (a gsub callback that matches again, a gmatch loop
-- inside another), errors in the middle of a match, and many different
-- patterns in turn must all give the same results as fresh ones.

-- gsub with a callback that runs other searches on other subjects
local inner = {}
local out, n = ("alpha beta gamma"):gsub("(%a+)", function(w)
  local a, b, c = ("x=" .. w .. ";y=42"):find("=(%a+);y=(%d+)")
  inner[#inner + 1] = table.concat({a, b, c, select(4, ("x=" .. w .. ";y=42"):find("=(%a+);y=(%d+)"))}, ",")
  for d in ("1 22 333"):gmatch("%d+") do inner[#inner + 1] = d end
  return w:upper():gsub("A", "4")
end)
print(out, n)
print(table.concat(inner, " "))

-- gmatch inside gmatch, both left unfinished and resumed
local pairs_seen = {}
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do
  for ch in (k .. v):gmatch(".") do pairs_seen[#pairs_seen + 1] = ch end
end
print(table.concat(pairs_seen))

-- an error in the middle of a match, then the same pattern again
print(pcall(string.find, "abc", "(a"))
print(pcall(string.gsub, "abc", "%", "x"))
print(pcall(string.gsub, "abcabc", "(b)", function(c) error("stop at " .. c) end))
print(string.find("abc", "(b)(c)"))
print(string.gsub("abcabc", "(b)", "[%1]"))

-- more patterns than any cache would hold, in turn, twice
local subject = "key1=val1; key22=val22; k_3 = v3 ;  %x% [y]"
local pats = {
  "(%w+)=(%w+)", "%d+", "%a+", "[%w_]+", "(%s*)=(%s*)", "%%", "%[(.-)%]",
  "^key", "%f[%w]%w+", "(k)(e)(y)", "()=()", "[^;]+", "%p", "%u", "v%d$",
  "(%w+)%s*=%s*(%w+)", ".-;", "%s+", "x%%", "%b[]",
}
for round = 1, 2 do
  local parts = {}
  for _, p in ipairs(pats) do
    local r = {string.find(subject, p)}
    parts[#parts + 1] = p .. "->" .. table.concat(r, ",")
    local c = 0
    for _ in subject:gmatch(p) do c = c + 1 end
    parts[#parts + 1] = tostring(c)
    parts[#parts + 1] = (subject:gsub(p, "<%0>"))
  end
  print(round, table.concat(parts, "|"))
end

-- the same pattern text as a plain find and as a pattern
print(("a.b"):find(".", 1, true), ("a.b"):find("."), ("a.b"):match("%."))
