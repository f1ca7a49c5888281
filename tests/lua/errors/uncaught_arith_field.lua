-- uncaught: arithmetic on a missing field
local point = { x = 1 }
print(point.x + point.y)
