local t = {
  [x]
  = 1,
  y
  = 2,
  z =
  3,
}
local u = {x
, y
; z
}
print(x,
y, z
)
local v = f
{
}
local w = f
"s"
do
  local q = 1
  g = function() return q end
end
function a.b
  .c
  :d
  ()
end
local
function
lf
()
end
