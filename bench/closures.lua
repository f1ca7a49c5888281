-- bench: creating closures and reading/writing upvalues
local function counter()
  local n = 0
  return function(d) n = n + d return n end
end
local total = 0
for round = 1, 2000 do
  local fs = {}
  for i = 1, 2000 do fs[i] = counter() end
  for k = 1, 5 do
    for i = 1, 2000 do total = total + fs[i](i % 3) end
  end
end
local function compose(f, g) return function(x) return f(g(x)) end end
local inc = function(x) return x + 1 end
local dbl = function(x) return x * 2 end
local h = compose(inc, compose(dbl, inc))
local s = 0
for i = 1, 6000000 do s = s + h(i) % 17 end
print("total", total, "composed", s)
