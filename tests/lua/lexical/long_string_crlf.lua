-- newline sequences inside long strings are normalised to \n; a first newline is dropped
local cases = { "return [[\r\nx]]", "return [[\n\rx]]", "return [[a\r\nb]]", "return [[a\rb]]", "return [[a\n\rb]]", "return [[\r\r]]" }
for i, src in ipairs(cases) do
  local s = loadstring(src)()
  print(i, #s, s:byte(1, -1))
end
