-- bench: method calls on objects with metatables and inheritance
local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({ x = x, y = y }, Point) end
function Point:add(o) return Point.new(self.x + o.x, self.y + o.y) end
function Point:dot(o) return self.x * o.x + self.y * o.y end
function Point:scale(k) self.x = self.x * k self.y = self.y * k return self end
local Point3 = setmetatable({}, { __index = Point })
Point3.__index = Point3
function Point3.new(x, y, z) local p = Point.new(x, y) p.z = z return setmetatable(p, Point3) end
function Point3:dot(o) return Point.dot(self, o) + self.z * (o.z or 0) end
local acc = Point.new(0, 0)
local d = 0
local p3 = Point3.new(1, 2, 3)
for i = 1, 2700000 do
  local p = Point.new(i % 10, i % 7)
  acc = acc:add(p)
  d = d + p:dot(acc) % 1000 + p3:dot(p)
  if i % 1000 == 0 then acc:scale(0.5) end
end
print(string.format("%.3f %.3f %d", acc.x, acc.y, d))
