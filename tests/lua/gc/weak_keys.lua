-- entries with unreachable table keys disappear from a weak-keyed table after a full collection
local cache = setmetatable({}, { __mode = "k" })
local keep = {}
local function fill()
  for i = 1, 10 do
    local k = { id = i }
    cache[k] = i
    if i % 2 == 0 then keep[#keep + 1] = k end
  end
end
local function stats()
  local n, sum = 0, 0
  for k, v in pairs(cache) do n = n + 1; sum = sum + v end
  return n, sum
end
fill()
collectgarbage("collect")
print(stats())
keep = nil
collectgarbage("collect")
print(stats())
