-- os.date in UTC ("!") with every C89 strftime conversion on fixed times
local times = { 0, 951782400, 1234567890, 1700000000, 4102444800 }
local fmts = { "%a", "%A", "%b", "%B", "%c", "%d", "%H", "%I", "%j", "%m", "%M", "%p", "%S", "%U", "%w", "%W", "%x", "%X", "%y", "%Y", "%%" }
for _, t in ipairs(times) do
  local row = {}
  for _, f in ipairs(fmts) do row[#row + 1] = os.date("!" .. f, t) end
  print(t, table.concat(row, "|"))
end
