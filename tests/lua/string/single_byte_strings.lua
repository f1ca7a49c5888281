-- One-byte strings made by string.sub, string.char, concatenation and
-- gmatch stay equal to each other and usable as table keys across
-- collections (a cached handle of a collected string must not be reused).
local s = "abcabc\0\255z"
local t = {}
for round = 1, 3 do
  for i = 1, #s do
    local c = s:sub(i, i)
    t[c] = (t[c] or 0) + 1
    assert(c == string.char(s:byte(i)))
    assert(c == ("" .. c))
  end
  collectgarbage()
  collectgarbage()
end
local keys = {}
for k, v in pairs(t) do keys[#keys + 1] = string.byte(k) .. "=" .. v end
table.sort(keys)
print(table.concat(keys, " "))
-- strings that only exist briefly, then again after a full collection
for i = 0, 255 do local _ = string.char(i) end
collectgarbage()
local n = 0
for i = 0, 255 do
  local c = string.char(i)
  if #c == 1 and c:byte() == i and c == string.sub(string.char(65, i), 2, 2) then n = n + 1 end
end
print(n)
-- short and longer concatenations, numbers included
local parts = {}
for i = 1, 40 do parts[#parts + 1] = i .. "" .. (i * 0.5) .. "|" .. string.rep("x", i % 7) end
print(#table.concat(parts), parts[1], parts[40])
local long = string.rep("y", 100) .. string.rep("z", 100)
print(#long, long:sub(99, 102))
local mixed = 1 .. 2 .. "" .. 3.25 .. -0.5 .. 1e300 .. 2^53
print(mixed, #mixed)
-- gmatch over a long subject whose matches start at once and far away
local text = string.rep("line\n", 200) .. string.rep(" ", 700) .. "end"
local count = 0
for w in text:gmatch("[^\n ]+") do count = count + 1 end
print(count)
local far = 0
for w in (string.rep("-", 1000) .. "abc" .. string.rep("-", 1000) .. "d"):gmatch("[a-z]+") do far = far + #w end
print(far)
