local a = 1
local function f() return a end
local function g() a = a + 1 end
local function h()
  local b = 2
  return function() return a + b end
end
do
  local c = 3
  f = function() return c end
end
do
  local d = 4
  local e = 5
  g = function() return d end
end
for i = 1, 3 do
  fs[i] = function() return i end
end
for k, v in pairs(t) do
  fs[k] = function() return k, v end
end
for i = 1, 3 do
  local x = i
  fs[i] = function() return x end
  if x > 1 then break end
end
while true do
  local y = 1
  fs[1] = function() return y end
  break
end
while true do
  if z then break end
  local y = 1
  fs[1] = function() return y end
end
repeat
  local r = 1
  fs[2] = function() return r end
until r
repeat
  local r2 = 1
  if r2 then break end
  fs[2] = function() return r2 end
until false
local function outer()
  local u1, u2, u3 = 1, 2, 3
  return function()
    return function()
      return u3, u1, u2, a
    end
  end
end
local function rec(n) if n > 0 then return rec(n - 1) end end
local t = {}
function t.m() return t end
function t:n() return self, a end
local q
function q() return q end
do local z; function z() return z end end
