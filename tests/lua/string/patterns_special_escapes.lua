-- escaping magic characters with % and matching non-alphanumeric characters literally
local magic = "^$()%.[]*+-?"
for c in magic:gmatch(".") do
  local s = "x" .. c .. "y"
  io.write(c, "=", tostring(s:find("%" .. c, 1)), " ")
end
print()
print(("a.b"):gsub("%.", "%%"))
print(("50% off"):match("(%d+)%%"))
print(("path/to/file.txt"):match("([^/]+)%.(%w+)$"))
print(("a+b=c"):gsub("%+", " plus "))
print(("%d"):find("%%d"), ("x%"):find("%%$"))
print(("\0a\0"):find("%z"), ("a\0b"):match("a(%z)b") == "\0")
