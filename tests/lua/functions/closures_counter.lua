-- closures capture variables, not values; each call of the factory makes new ones
local function counter()
  local n = 0
  return function() n = n + 1 return n end, function() return n end
end
local inc1, get1 = counter()
local inc2, get2 = counter()
inc1(); inc1(); inc2()
print(get1(), get2())
local x = 1
local function getx() return x end
x = 2
print(getx())
local function setter() x = 99 end
setter()
print(x, getx())
