-- currentline of each level of the stack while nested calls are running
local function level3()
  local out = {}
  for lv = 1, 4 do
    local i = debug.getinfo(lv, "l")
    out[#out + 1] = i and i.currentline or "none"
  end
  return table.concat(out, " ")
end
local function level2()
  return (level3())
end
local function level1()
  local r = level2()
  return r
end
print(level1())
