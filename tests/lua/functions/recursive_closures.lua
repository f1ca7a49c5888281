-- closures that recurse through upvalues and through tables
local memo = {}
local function fib(n)
  if n < 2 then return n end
  if memo[n] then return memo[n] end
  local v = fib(n - 1) + fib(n - 2)
  memo[n] = v
  return v
end
print(fib(90))
local ops = {}
ops.even = function(n) if n == 0 then return true end return ops.odd(n - 1) end
ops.odd = function(n) if n == 0 then return false end return ops.even(n - 1) end
print(ops.even(1000), ops.odd(1001))
local Y = function(f) return (function(x) return x(x) end)(function(x) return f(function(...) return x(x)(...) end) end) end
local fact = Y(function(self) return function(n) if n == 0 then return 1 end return n * self(n - 1) end end)
print(fact(10))
