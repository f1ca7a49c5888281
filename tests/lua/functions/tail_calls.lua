-- tail calls do not grow the stack: deep tail recursion and mutual tail recursion
local function loop(n, acc)
  if n == 0 then return acc end
  return loop(n - 1, acc + 1)
end
print(loop(1000000, 0))
local is_even, is_odd
function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
print(is_even(300001), is_odd(300001))
local obj = { n = 0 }
function obj:count(k) if k == 0 then return self.n end self.n = self.n + 1 return self:count(k - 1) end
print(obj:count(250000))
local function via_vararg(n, ...) if n == 0 then return select("#", ...) end return via_vararg(n - 1, ...) end
print(via_vararg(100000, 1, 2, 3))
