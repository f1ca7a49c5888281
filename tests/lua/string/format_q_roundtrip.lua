-- %q output can always be loaded back to the same string
local samples = { "", "plain", "quote\"", "back\\slash", "nl\nx", "cr\rx", "nul\0x", "ctrl\1\2\31", "high\200\255", "\"\\\n\r\0" }
for i, s in ipairs(samples) do
  local q = string.format("%q", s)
  local back = loadstring("return " .. q)()
  print(i, back == s, #q)
end
