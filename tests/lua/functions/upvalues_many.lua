-- a function with many upvalues and deep nesting of closures
local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10 = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
local function sum() return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 end
print(sum())
a5 = 50
print(sum())
local function l1()
  local x = 1
  return function()
    local y = 2
    return function()
      local z = 3
      return function() x = x + 1; return x + y + z end
    end
  end
end
local f = l1()()()
print(f(), f())
