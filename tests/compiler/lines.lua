local a =
  1
  +
  x
local b = f(
  1,
  2
  ,
  g
)
local c = x
  .y
  .z
  [
  w
  ]
local d = o
  :m(
  )
local e = {
  1,
  x
  ,
  y = 2,
  [z]
  =
  3,
  w
}
local s = "a\
b" .. [[
c
d]] .. x
local function fn(
  p,
  q
)
  return
    p
    +
    q
end
if
  a
  and
  b
then
  print(a)
elseif
  c
then
  print(c)
else
  print(d)
end
while
  a
  <
  b
do
  a = a + 1
end
for i
  =
  1
  ,
  10
  ,
  2
do
  print(i)
end
for k, v in
  pairs(t)
do
  print(k)
end
repeat
  a = a - 1
until
  a
  ==
  0
x =
  -
  y
z = not
  w
t = {x
}
t = {x,
y}
t = {f
 (1)}
t = {a
 .b}
t = {a
 = 1}
return
  a,
  b
