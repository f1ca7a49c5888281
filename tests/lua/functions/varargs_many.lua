-- passing and returning many values through varargs
local function id(...) return ... end
local t = {}
for i = 1, 200 do t[i] = i end
print(select("#", id(unpack(t))), (select(200, id(unpack(t)))))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + select(i, ...) end
  return s
end
print(sum(unpack(t)))
local function append(x, ...) return ..., x end
print(append(1, 2, 3))
