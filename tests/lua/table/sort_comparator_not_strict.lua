-- comparators that are not strict orders either give 5.1's exact result or its error
local function try(n, cmp)
  local t = {}
  for i = 1, n do t[i] = (i * 13) % 7 end
  local ok, e = pcall(table.sort, t, cmp)
  return ok and table.concat(t, ",") or e
end
print(try(5, function(a, b) return a <= b end))
print(try(12, function(a, b) return a <= b end))
print(try(12, function(a, b) return false end))
print(try(12, function(a, b) return a ~= b end))
print(try(3, function(a, b) return true end))
