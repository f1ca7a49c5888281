-- many lines, long lines, and line iteration counts
local f = io.tmpfile()
for i = 1, 2000 do f:write(("x"):rep(i % 100), "|", i, "\n") end
f:write(("y"):rep(10000), "\n")
f:seek("set")
local count, total, longest = 0, 0, 0
for l in f:lines() do
  count = count + 1
  total = total + #l
  if #l > longest then longest = #l end
end
print(count, total, longest)
f:close()
