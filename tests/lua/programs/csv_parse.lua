-- a CSV parser with quoted fields, embedded commas, quotes and newlines
local function parse_csv(s)
  local rows, row, field, i, inq = {}, {}, {}, 1, false
  while i <= #s do
    local c = s:sub(i, i)
    if inq then
      if c == '"' then
        if s:sub(i + 1, i + 1) == '"' then field[#field + 1] = '"' i = i + 1 else inq = false end
      else field[#field + 1] = c end
    elseif c == '"' then inq = true
    elseif c == "," then row[#row + 1] = table.concat(field) field = {}
    elseif c == "\n" then row[#row + 1] = table.concat(field) field = {} rows[#rows + 1] = row row = {}
    elseif c ~= "\r" then field[#field + 1] = c end
    i = i + 1
  end
  if inq then error("unterminated quoted field") end
  if #field > 0 or #row > 0 then row[#row + 1] = table.concat(field) rows[#rows + 1] = row end
  return rows
end
local data = 'name,age,quote\r\n"Smith, John",42,"He said ""hi"""\nJane,,"multi\nline"\n,,\nlast,1,end'
for i, r in ipairs(parse_csv(data)) do
  local shown = {}
  for j, f in ipairs(r) do shown[j] = string.format("%q", f) end
  print(i, #r, table.concat(shown, " | "))
end
print(pcall(parse_csv, 'a,"b'))
