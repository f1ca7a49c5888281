-- a double-ended queue with amortised O(1) operations and a breadth-first search on a grid
local Deque = {}
Deque.__index = Deque
function Deque.new() return setmetatable({ first = 0, last = -1 }, Deque) end
function Deque:push_back(v) self.last = self.last + 1 self[self.last] = v end
function Deque:push_front(v) self.first = self.first - 1 self[self.first] = v end
function Deque:pop_front() if self.first > self.last then return nil end local v = self[self.first] self[self.first] = nil self.first = self.first + 1 return v end
function Deque:pop_back() if self.first > self.last then return nil end local v = self[self.last] self[self.last] = nil self.last = self.last - 1 return v end
function Deque:len() return self.last - self.first + 1 end
local d = Deque.new()
d:push_back(1) d:push_back(2) d:push_front(0) d:push_front(-1)
print(d:len(), d:pop_front(), d:pop_back(), d:pop_front(), d:pop_back(), d:pop_back(), d:len())
local maze = {
  "S.#.......",
  ".##.####.#",
  "....#....#",
  "#.#.#.##..",
  "..#...#..E",
}
local H, W = #maze, #maze[1]
local function at(r, c) return maze[r]:sub(c, c) end
local sr, sc, er, ec
for r = 1, H do for c = 1, W do if at(r, c) == "S" then sr, sc = r, c elseif at(r, c) == "E" then er, ec = r, c end end end
local q, dist = Deque.new(), { [sr * 100 + sc] = 0 }
q:push_back({ sr, sc })
while q:len() > 0 do
  local cur = q:pop_front()
  for _, dlt in ipairs({ { 1, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 } }) do
    local r, c = cur[1] + dlt[1], cur[2] + dlt[2]
    if r >= 1 and r <= H and c >= 1 and c <= W and at(r, c) ~= "#" and not dist[r * 100 + c] then
      dist[r * 100 + c] = dist[cur[1] * 100 + cur[2]] + 1
      q:push_back({ r, c })
    end
  end
end
print("shortest path length", dist[er * 100 + ec])
