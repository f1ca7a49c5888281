-- file:lines on a file closed during iteration raises an error
local f = io.tmpfile()
f:write("1\n2\n3\n")
f:seek("set")
local out = {}
local ok, e = pcall(function()
  for l in f:lines() do out[#out + 1] = l if l == "2" then f:close() end end
end)
print(table.concat(out, ","), ok, e)
