-- recursion through metamethods or pcall is bounded and reported as a stack overflow
local t = setmetatable({}, {})
getmetatable(t).__index = function(tbl, k) return tbl[k] end
local ok, e = pcall(function() return t.x end)
print(ok, string.find(tostring(e), "stack overflow", 1, true) ~= nil)
local function nest(n) return pcall(nest, n + 1) end
print((nest(1)))
local co_depth = 0
local function deepco()
  co_depth = co_depth + 1
  local co = coroutine.create(deepco)
  local ok2, err = coroutine.resume(co)
  if not ok2 then error(err, 0) end
end
local ok3, e3 = pcall(deepco)
print(ok3, string.find(tostring(e3), "overflow", 1, true) ~= nil, co_depth > 100)
