-- "*l" strips only the newline; carriage returns and trailing spaces stay
local f = io.tmpfile()
f:write("a\r\n", "b \n", "\n", "c")
f:seek("set")
for i = 1, 5 do
  local l = f:read("*l")
  print(i, l and #l, l and (l:gsub("\r", "\\r")))
end
f:close()
