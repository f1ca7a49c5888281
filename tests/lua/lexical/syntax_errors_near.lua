-- syntax error messages name the token they were found near
local srcs = {
  "x = ", "x = 1 +", "local function", "if x then", "for i = 1 do end",
  "for i in do end", "while true do", "repeat until", "f(", "t = {1, 2",
  "return return", "x.1 = 2", "local t = {[1] = }", "a, b", "(a) = 1",
  "function f(a,) end", "function f(...,a) end", "local a <const> = 1",
  "goto x", "x = 1 2", "print('a' 'b')", "local x = function end",
  "break", "return 1 print(2)", "x = }", "elseif", "end", "::lbl::",
}
for i, s in ipairs(srcs) do
  local f, e = loadstring(s)
  print(i, e)
end
