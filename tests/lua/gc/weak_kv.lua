-- __mode "kv" drops an entry when either the key or the value is collectable garbage
local t = setmetatable({}, { __mode = "kv" })
local k1, v2 = {}, {}
local function fill()
  t[k1] = {}
  t[{}] = v2
  t[k1 .. "" == nil or "s"] = {}
  t.keep = "string"
  t[1] = 1
end
local ok = pcall(fill)
print(ok)
local function fill2()
  t[k1] = {}
  t[{}] = v2
  t.keep = "string"
  t[1] = 1
end
fill2()
collectgarbage("collect")
local n = 0
for k, v in pairs(t) do n = n + 1 end
print(n, t.keep, t[1], t[k1])
