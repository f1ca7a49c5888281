-- __mode strings: only 'k' and 'v' characters matter, anywhere in the string
local function survivors(mode)
  local t = setmetatable({}, { __mode = mode })
  local function fill() t[1] = {}; t[{}] = 1 end
  fill()
  collectgarbage("collect")
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end
for _, m in ipairs({ "", "k", "v", "kv", "vk", "xkx", "K", "V", "weak" }) do
  print(string.format("%q", m), survivors(m))
end
