-- in 5.1 a weak-keyed entry whose value refers back to its key is kept (no ephemerons)
local t = setmetatable({}, { __mode = "k" })
local function fill()
  local k1 = {}
  t[k1] = { back = k1 }
  t[{}] = "plain"
end
fill()
collectgarbage("collect")
local n = 0
for k, v in pairs(t) do n = n + 1 end
print(n)
