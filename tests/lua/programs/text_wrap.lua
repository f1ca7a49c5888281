-- word wrapping and justification of a paragraph at several widths
local text = "The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs. How vexingly quick daft zebras jump!"
local function wrap(s, width)
  local lines, line = {}, ""
  for word in s:gmatch("%S+") do
    if #line == 0 then line = word
    elseif #line + 1 + #word <= width then line = line .. " " .. word
    else lines[#lines + 1] = line line = word end
  end
  if #line > 0 then lines[#lines + 1] = line end
  return lines
end
local function justify(line, width)
  local words = {}
  for w in line:gmatch("%S+") do words[#words + 1] = w end
  if #words == 1 then return line end
  local gaps, spaces = #words - 1, width - #line:gsub(" ", "")
  local out = {}
  for i, w in ipairs(words) do
    out[#out + 1] = w
    if i <= gaps then out[#out + 1] = (" "):rep(math.floor(spaces / gaps) + (i <= spaces % gaps and 1 or 0)) end
  end
  return table.concat(out)
end
for _, width in ipairs({ 20, 33 }) do
  print(("="):rep(width))
  local lines = wrap(text, width)
  for i, l in ipairs(lines) do print(i < #lines and justify(l, width) or l) end
end
