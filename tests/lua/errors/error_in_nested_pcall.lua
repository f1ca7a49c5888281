-- nested pcalls: the innermost catches, outer ones see success
local trace = {}
local ok = pcall(function()
  trace[#trace + 1] = "outer start"
  local ok2, e2 = pcall(function()
    trace[#trace + 1] = "inner start"
    error("inner error")
  end)
  trace[#trace + 1] = "inner returned " .. tostring(ok2) .. " " .. e2
  local ok3 = pcall(error)
  trace[#trace + 1] = "second inner " .. tostring(ok3)
end)
trace[#trace + 1] = "outer returned " .. tostring(ok)
print(table.concat(trace, "\n"))
