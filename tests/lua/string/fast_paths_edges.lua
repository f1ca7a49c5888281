-- Edge arguments of string.byte/sub/find/match/gmatch/gsub whose common
-- cases take short paths: huge, fractional, NaN and string positions,
-- anchors, NULs in patterns and subjects, patterns used in turn.
local s = "hello\0world"
local huge = 2^63
local nan = 0/0
local function show(...)
  local t = { n = select("#", ...), ... }
  for i = 1, t.n do t[i] = tostring(t[i]) end
  print(table.concat(t, ","))
end
for _, i in ipairs({ 0, 1, 2, -1, -11, -12, 11, 12, 2.7, -2.7, "3", huge, -huge, 1e300 }) do
  show("byte", i, s:byte(i))
  show("byte2", i, s:byte(i, i))
  show("bytes", i, s:byte(i, -1))
  show("sub", i, s:sub(i))
  show("sub2", i, s:sub(2, i))
  show("find", i, s:find("o", i))
  show("findplain", i, s:find("o", i, true))
  show("match", i, s:match("%a+", i))
  show("anch", i, s:find("^w", i))
end
show("nanbyte", pcall(string.byte, s, nan))
show("nansub", pcall(string.sub, s, nan))
show("nanfind", pcall(string.find, s, "o", nan))
show("sub-noarg", pcall(string.sub, s))
show("byte-bad", pcall(string.byte, s, {}))
show("byte-bad3", pcall(string.byte, s, 1, {}))
show("len", string.len(s), string.len(123), pcall(string.len))
show("upper", string.upper(s), string.lower("ABC\0d"), string.upper(12))
-- NUL in the pattern: the matcher stops there, plain find does not.
show(s:find("o\0w"), s:find("o\0w", 1, true), s:find("%z"), s:match("(%a+)%z(%a+)"))
show(s:find("\0"), s:find("l\0"), pcall(string.find, s, "[\0]"))
-- the same few patterns used in turn (cache ways), with and without anchors
local pats = { "[^0-9%-%+eE%.]+", "[%z\1-\031\"\\\127]", "%%(..)", "([^A-Za-z0-9%-._~])", "^%s*", "^(%w+)", "%s*$" }
local subj = { "12.5e+3x", "a\"b\\c", "x%41y", "a b~c", "  lead", "word rest", "trail  " }
for r = 1, 3 do
  for i, p in ipairs(pats) do
    show(r, i, subj[i]:find(p), subj[i]:match(p), (subj[i]:gsub(p, "<%0>")))
    for a, b in subj[i]:gmatch(p) do show("gm", a, b) end
  end
end
show(("^a^b"):gsub("^%^", "x"), ("^a^b"):match("^^a"))
for w in ("^a^b"):gmatch("^.") do show("gm^", w) end
show(pcall(string.find, "abc", "[a"), pcall(string.match, "abc", "(%1)"))
show(pcall(string.find, "abc", "%"), pcall(string.gsub, "abc", "(", "x"))
-- searches long enough to pause and resume (the budget is charged between)
local long = ("a"):rep(60) .. "1"
for _, p in ipairs({ "%a-%a-%a-%d", "^%a-%a-%a-%d", "(%a-)(%a-)%a-x" }) do
  show("long", p, long:find(p), long:match(p), (long:gsub(p, "<%0>")))
  for a, b in long:gmatch(p) do show("gml", a, b) end
  for _ = 1, 9 do show("again", long:find(p, 2)) end
end
