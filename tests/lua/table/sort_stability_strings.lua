-- sorting strings with equal prefixes, case and embedded numbers
local t = { "file10", "file2", "File1", "file1", "file", "file20", "files", "fil", "FILE" }
table.sort(t)
print(table.concat(t, " "))
table.sort(t, function(a, b) return a:lower() < b:lower() end)
print(table.concat(t, " "))
local function natural(a, b)
  local na, nb = tonumber(a:match("%d+")), tonumber(b:match("%d+"))
  local pa, pb = a:match("^%a+"):lower(), b:match("^%a+"):lower()
  if pa ~= pb then return pa < pb end
  if na and nb and na ~= nb then return na < nb end
  if (na == nil) ~= (nb == nil) then return na == nil end
  return a < b
end
table.sort(t, natural)
print(table.concat(t, " "))
