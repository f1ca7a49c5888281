-- memoization keyed on all arguments, with nil arguments and multiple return values
local function memoize(f)
  local cache, calls = {}, 0
  return function(...)
    local key = {}
    for i = 1, select("#", ...) do key[i] = tostring((select(i, ...))) end
    local k = table.concat(key, "\0") .. "#" .. select("#", ...)
    local hit = cache[k]
    if not hit then
      calls = calls + 1
      hit = { n = 0 }
      local res = { f(...) }
      hit.n = select("#", f(...))
      for i = 1, hit.n do hit[i] = res[i] end
      cache[k] = hit
    end
    return unpack(hit, 1, hit.n)
  end, function() return calls end
end
local divmod, count = memoize(function(a, b) if b == 0 then return nil, "division by zero" end return math.floor(a / b), a % b end)
print(divmod(17, 5))
print(divmod(17, 5))
print(divmod(1, 0))
print(select("#", divmod(1, 0)))
print(count())
local slow_fib
slow_fib = memoize(function(n) if n < 2 then return n end return slow_fib(n - 1) + slow_fib(n - 2) end)
print(slow_fib(80))
local f = memoize(function(...) return select("#", ...) end)
print(f(), f(nil), f(nil, nil), f())
