-- values that are only referenced from a weak-valued table are collected
local reg = setmetatable({}, { __mode = "v" })
local strong
local function fill()
  for i = 1, 6 do reg[i] = { i } end
  strong = reg[3]
  reg.str = "strings are not collected from weak tables"
  reg.num = 42
  reg.bool = true
  reg.fn = print
end
fill()
collectgarbage("collect")
local keys = {}
for k in pairs(reg) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, " "))
print(reg[3] == strong, reg.str, reg.num, reg.bool, reg.fn == print)
