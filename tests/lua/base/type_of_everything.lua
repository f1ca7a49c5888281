-- type() of every standard library value
local kinds = {}
for _, lib in ipairs({ "string", "table", "math", "os", "io", "coroutine", "debug", "package" }) do
  local counts = {}
  for k, v in pairs(_G[lib]) do counts[type(v)] = (counts[type(v)] or 0) + 1 end
  local parts = {}
  for t, n in pairs(counts) do parts[#parts + 1] = t .. "=" .. n end
  table.sort(parts)
  print(lib, table.concat(parts, " "))
end
