-- several closures share one upvalue, also after the enclosing function returned
local function make()
  local v = 0
  local function add(d) v = v + d end
  local function get() return v end
  local function nested() return function() v = v * 2 return v end end
  return add, get, nested()
end
local add, get, dbl = make()
add(5); print(get())
print(dbl(), get())
add(1); print(get(), dbl())
local function outer()
  local a = 1
  local function mid()
    local b = 2
    return function() a = a + 1; b = b + 1; return a + b end
  end
  local f1, f2 = mid(), mid()
  return f1(), f2(), f1(), a
end
print(outer())
