-- a binary heap priority queue used for heap sort and for merging sorted lists
local Heap = {}
Heap.__index = Heap
function Heap.new(cmp) return setmetatable({ n = 0, cmp = cmp or function(a, b) return a < b end }, Heap) end
function Heap:push(v)
  self.n = self.n + 1
  local i = self.n
  self[i] = v
  while i > 1 do
    local p = math.floor(i / 2)
    if self.cmp(self[i], self[p]) then self[i], self[p] = self[p], self[i] i = p else break end
  end
end
function Heap:pop()
  if self.n == 0 then return nil end
  local top = self[1]
  self[1] = self[self.n] self[self.n] = nil self.n = self.n - 1
  local i = 1
  while true do
    local l, r, s = 2 * i, 2 * i + 1, i
    if l <= self.n and self.cmp(self[l], self[s]) then s = l end
    if r <= self.n and self.cmp(self[r], self[s]) then s = r end
    if s == i then break end
    self[i], self[s] = self[s], self[i]
    i = s
  end
  return top
end
local h = Heap.new()
for _, v in ipairs({ 5, 3, 9, 1, 7, 3, 8, 2, 6, 4, 0 }) do h:push(v) end
local out = {}
while h.n > 0 do out[#out + 1] = h:pop() end
print(table.concat(out, " "))
local lists = { { 1, 4, 9 }, { 2, 3, 10, 11 }, { 0, 5 } }
local mh = Heap.new(function(a, b) return a[1] < b[1] end)
for li, l in ipairs(lists) do mh:push({ l[1], li, 1 }) end
local merged = {}
while mh.n > 0 do
  local e = mh:pop()
  merged[#merged + 1] = e[1]
  local l = lists[e[2]]
  if l[e[3] + 1] then mh:push({ l[e[3] + 1], e[2], e[3] + 1 }) end
end
print(table.concat(merged, " "))
local maxh = Heap.new(function(a, b) return a > b end)
for i = 1, 100 do maxh:push((i * 37) % 101) end
print(maxh:pop(), maxh:pop(), maxh:pop(), maxh.n)
