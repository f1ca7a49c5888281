-- a weak-valued table filled in a loop keeps only the values still referenced elsewhere
local weak = setmetatable({}, { __mode = "v" })
local strong = {}
local function fill()
  for i = 1, 100 do
    local v = { i }
    weak[i] = v
    if i % 10 == 0 then strong[#strong + 1] = v end
  end
end
fill()
collectgarbage("collect")
local function count()
  local n, s = 0, 0
  for k, v in pairs(weak) do n = n + 1 s = s + v[1] end
  return n, s
end
print(count())
