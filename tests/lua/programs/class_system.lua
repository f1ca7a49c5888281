-- a class system with inheritance, super calls, mixins, properties and instanceof
local function class(parent)
  local c = {}
  c.__index = c
  c.super = parent
  if parent then setmetatable(c, { __index = parent }) end
  c.new = function(...)
    local obj = setmetatable({}, c)
    if obj.init then obj:init(...) end
    return obj
  end
  c.is_a = function(self, k)
    local m = getmetatable(self)
    while m do if m == k then return true end m = m.super end
    return false
  end
  c.include = function(mixin) for k, v in pairs(mixin) do c[k] = v end return c end
  return c
end
local Shape = class()
function Shape:init(name) self.name = name; Shape.count = (Shape.count or 0) + 1 end
function Shape:area() return 0 end
function Shape:describe() return string.format("%s with area %.2f", self.name, self:area()) end
local Rect = class(Shape)
function Rect:init(w, h) Shape.init(self, "rect"); self.w, self.h = w, h end
function Rect:area() return self.w * self.h end
local Square = class(Rect)
function Square:init(s) Rect.init(self, s, s); self.name = "square" end
local Circle = class(Shape)
function Circle:init(r) self.super.init(self, "circle"); self.r = r end
function Circle:area() return math.pi * self.r ^ 2 end
local Printable = { show = function(self) return "<" .. self:describe() .. ">" end }
Circle.include(Printable)
local shapes = { Rect.new(2, 3), Square.new(4), Circle.new(1), Shape.new("blob") }
for _, s in ipairs(shapes) do print(s:describe()) end
print(shapes[3]:show(), pcall(function() return shapes[1]:show() end))
print(shapes[2]:is_a(Rect), shapes[2]:is_a(Shape), shapes[2]:is_a(Circle), shapes[3]:is_a(Rect))
print("instances", Shape.count)
table.sort(shapes, function(a, b) return a:area() < b:area() end)
local order = {}
for i, s in ipairs(shapes) do order[i] = s.name end
print(table.concat(order, " < "))
