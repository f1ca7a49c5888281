-- a wrapped generator consuming another wrapped generator
local function count(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end
local function squares(src) return coroutine.wrap(function() for v in src do coroutine.yield(v * v) end end) end
local function take(src, n) return coroutine.wrap(function() for i = 1, n do local v = src() if v == nil then return end coroutine.yield(v) end end) end
local out = {}
for v in take(squares(count(100)), 6) do out[#out + 1] = v end
print(table.concat(out, " "))
