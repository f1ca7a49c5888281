-- bad escape sequences and unfinished strings are syntax errors
local cases = {
  [[return "\300"]],
  [[return "\256"]],
  [[return "abc]],
  "return 'abc\ndef'",
  [[return "\]],
}
for i, src in ipairs(cases) do
  local f, err = loadstring(src)
  print(i, f == nil, err)
end
