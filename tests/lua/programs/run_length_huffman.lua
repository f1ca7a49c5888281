-- run-length encoding and a deterministic Huffman code table for a message
local function rle(s) return (s:gsub("(.)%1*", function(c) return "" end)) end
local function rle_encode(s)
  local out, i = {}, 1
  while i <= #s do
    local c = s:sub(i, i)
    local j = i
    while s:sub(j + 1, j + 1) == c do j = j + 1 end
    out[#out + 1] = (j - i + 1) .. c
    i = j + 1
  end
  return table.concat(out)
end
local function rle_decode(s) return (s:gsub("(%d+)(%D)", function(n, c) return c:rep(tonumber(n)) end)) end
local msg = "WWWWWWWWWWWWBWWWWWWWWWWWWBBBWWWWWWWWWWWWWWWWWWWWWWWWBWWWWWWWWWWWWWW"
local e = rle_encode(msg)
print(e, rle_decode(e) == msg, rle(msg) == "")
local text = "abracadabra alakazam"
local freq = {}
for c in text:gmatch(".") do freq[c] = (freq[c] or 0) + 1 end
local nodes, order = {}, 0
for c, f in pairs(freq) do nodes[#nodes + 1] = { f = f, c = c, key = c } end
local function less(a, b) if a.f ~= b.f then return a.f < b.f end return a.key < b.key end
while #nodes > 1 do
  table.sort(nodes, less)
  local a, b = table.remove(nodes, 1), table.remove(nodes, 1)
  order = order + 1
  nodes[#nodes + 1] = { f = a.f + b.f, l = a, r = b, key = "~" .. string.format("%03d", order) }
end
local codes = {}
local function walk(n, prefix) if n.c then codes[n.c] = prefix == "" and "0" or prefix else walk(n.l, prefix .. "0") walk(n.r, prefix .. "1") end end
walk(nodes[1], "")
local keys = {}
for c in pairs(codes) do keys[#keys + 1] = c end
table.sort(keys)
local bits = 0
for _, c in ipairs(keys) do print(string.format("%q %d %s", c, freq[c], codes[c])) bits = bits + freq[c] * #codes[c] end
print("bits", bits, "vs", #text * 8)
