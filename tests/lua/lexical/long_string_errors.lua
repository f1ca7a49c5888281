-- unfinished long strings/comments and invalid long string delimiters
local cases = {
  "return [[abc",
  "return [==[abc]=]",
  "--[[ never closed",
  "return [=abc",
  "x = [[ [[ nested ]]",
}
for i, src in ipairs(cases) do
  local f, err = loadstring(src)
  print(i, f == nil, err)
end
