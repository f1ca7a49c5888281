-- malformed patterns and capture errors report 5.1's messages
local pats = { "%", "[a", "[", "[^", "(", "(()", ")", "%1", "(%1)", "%b", "%ba", "%f", "%g", "a)", "[%", "(a", "((a)", "%z(%1)" }
for _, p in ipairs(pats) do
  print(string.format("%-8q", p), pcall(string.find, "abc(a)", p))
end
print(pcall(string.gsub, "abc", "(", "x"))
print(pcall(string.gmatch("abc", "[a"), nil))
