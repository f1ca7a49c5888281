-- A small tour: closures, metatables, coroutines and string patterns.
local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end
function Point.__add(a, b) return Point.new(a.x + b.x, a.y + b.y) end
function Point:__tostring() return "(" .. self.x .. ", " .. self.y .. ")" end

print("hello from " .. _VERSION)
print(tostring(Point.new(1, 2) + Point.new(3, 4)))

local gen = coroutine.wrap(function()
  for i = 1, 3 do coroutine.yield(i * i) end
end)
print(gen(), gen(), gen())

local words = {}
for w in ("the quick brown fox"):gmatch("%a+") do words[#words + 1] = w:upper() end
print(table.concat(words, " "))
