-- loadstring chunk names: first line only, truncated with "..." when long
local srcs = {
  "x = = 1",
  "local a = 1\nx = = 2",
  "x = = 3 -- " .. string.rep("long ", 20),
  string.rep("a", 70) .. " = = 1",
  "\nx = = 4",
}
for i, s in ipairs(srcs) do
  local f, e = loadstring(s)
  print(i, e)
end
print(select(2, loadstring("x = = 5", "custom name")))
print(select(2, loadstring("x = = 6", "=exact")))
print(select(2, loadstring("x = = 7", "@file.lua")))
