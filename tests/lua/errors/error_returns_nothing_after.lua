-- code after an error call never runs, even inside nested calls and loops
local log = {}
local ok = pcall(function()
  for i = 1, 3 do
    log[#log + 1] = "before " .. i
    if i == 2 then error("stop") end
    log[#log + 1] = "after " .. i
  end
end)
print(ok, table.concat(log, ", "))
