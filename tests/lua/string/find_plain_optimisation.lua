-- find without special characters searches plainly; any special character enables patterns
local s = "a+b(c)d[e]f%g"
for _, p in ipairs({ "+", "b(c", "c)", "[e]", "]f", "%g", "d[", "f%", "a+b" }) do
  print(p, pcall(string.find, s, p))
end
