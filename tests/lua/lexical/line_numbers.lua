-- line numbers reported in errors follow newlines inside long strings and comments
local s = [[
a
b
]]
--[[
comment
]]
print(pcall(error, "x"))
local ok, e = pcall(function() error("here") end)
print(e)
local ok2, e2 = pcall(function()
  local x = [[
  ]] .. nil
end)
print(e2)
