-- a memoizing cache with weak values recomputes entries after a collection
local computed = 0
local cache = setmetatable({}, { __mode = "v" })
local function get(n)
  local v = cache[n]
  if not v then computed = computed + 1; v = { n * n }; cache[n] = v end
  return v
end
local held = get(1)
local function touch(...) for _, n in ipairs({ ... }) do get(n) end end
touch(2, 3, 1, 2)
print(computed)
collectgarbage("collect")
touch(1, 2, 3)
print(computed, held[1])
