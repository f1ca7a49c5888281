-- bench: class hierarchy built with metatables (three levels of __index
-- tables), constructors, getters and setters, virtual methods and
-- super calls; nearly every operation is a method call.
local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, { __index = parent }) end
  c.super = parent
  return c
end

local Shape = class()
function Shape.new(cls, ...)
  local o = setmetatable({}, cls)
  o:init(...)
  return o
end
function Shape:init(name) self.name = name; self.moves = 0 end
function Shape:area() return 0 end
function Shape:perimeter() return 0 end
function Shape:getMoves() return self.moves end
function Shape:move(dx, dy)
  self.x = self:getX() + dx
  self.y = self:getY() + dy
  self.moves = self:getMoves() + 1
end
function Shape:getX() return self.x end
function Shape:getY() return self.y end
function Shape:score() return self:area() + self:perimeter() * 0.5 end

local Rect = class(Shape)
function Rect:init(name, w, h)
  Shape.init(self, name)
  self.x, self.y, self.w, self.h = 0, 0, w, h
end
function Rect:area() return self:getW() * self:getH() end
function Rect:perimeter() return 2 * (self:getW() + self:getH()) end
function Rect:getW() return self.w end
function Rect:getH() return self.h end
function Rect:resize(k) self.w = self:getW() * k; self.h = self:getH() * k end

local Square = class(Rect)
function Square:init(name, s) Rect.init(self, name, s, s) end
function Square:score() return Rect.score(self) + 1 end

local Circle = class(Shape)
function Circle:init(name, r)
  Shape.init(self, name)
  self.x, self.y, self.r = 0, 0, r
end
function Circle:getR() return self.r end
function Circle:area() return 3.25 * self:getR() * self:getR() end
function Circle:perimeter() return 6.5 * self:getR() end
function Circle:resize(k) self.r = self:getR() * k end

local function make(i)
  local k = i % 3
  if k == 0 then return Shape.new(Rect, "r", i % 7 + 1, i % 5 + 1) end
  if k == 1 then return Shape.new(Square, "s", i % 4 + 1) end
  return Shape.new(Circle, "c", i % 6 + 1)
end

local shapes = {}
for i = 1, 300 do
  shapes[i] = make(i)
end

local total = 0
for round = 1, 5500 do
  for i = 1, #shapes do
    local s = shapes[i]
    s:move(1, -1)
    total = total + s:score()
    if (round + i) % 50 == 0 then
      s:resize(1.5)
    elseif (round + i) % 50 == 25 then
      s:resize(1 / 1.5)
    end
  end
  total = total % 1000000
end
local moves = 0
for i = 1, #shapes do moves = moves + shapes[i]:getMoves() end
print(string.format("%.4f %d %.1f", total, moves, shapes[7]:getX()))
