-- yield works from any depth of nested Lua calls inside the coroutine
local function deep(n)
  if n == 0 then return coroutine.yield("bottom") end
  return deep(n - 1) .. "<" .. n
end
local co = coroutine.create(function() return deep(5) end)
print(coroutine.resume(co))
print(coroutine.resume(co, "resumed"))
local function walk(t)
  for _, v in ipairs(t) do
    if type(v) == "table" then walk(v) else coroutine.yield(v) end
  end
end
local tree = { 1, { 2, { 3, 4 }, 5 }, { { { 6 } } }, 7 }
local out = {}
for v in coroutine.wrap(function() walk(tree) end) do out[#out + 1] = v end
print(table.concat(out, " "))
local function rec(n) if n == 0 then coroutine.yield("deep") return 0 end return 1 + rec(n - 1) end
local c2 = coroutine.create(rec)
print(coroutine.resume(c2, 5000))
print(coroutine.resume(c2))
