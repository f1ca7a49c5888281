-- an error raised inside a hook propagates to the running code
local function boom() error("from hook") end
local ok, e = pcall(function()
  debug.sethook(function() debug.sethook() boom() end, "l")
  local x = 1
  return x
end)
debug.sethook()
print(ok, e)
