-- syntax error messages from loadstring name the chunk, the line and the nearby token
local cases = {
  "x = 1 +", "local = 5", "if then end", "for = 1, 2 do end", "function (x) end",
  "return 1,", "t = {1 2}", "x = 'unfinished", "x = [[unfinished", "a.b.c = ",
  "local function f() return end end", "print('a'\n'b')", "x = 1\ny = 2\nz = = 3",
  "f(\n", "do end end", "while do end", "repeat x = 1", "return 1\nreturn 2",
  "local a.b = 1", "x = function() end()", "x = #", "x = not", "goto done", "a = 1 == == 2",
}
for i, src in ipairs(cases) do
  local f, e = loadstring(src)
  print(i, e)
end
