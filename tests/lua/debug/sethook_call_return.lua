-- call and return hooks for Lua functions, with tail calls marked
local log = {}
local function leaf() return 1 end
local function tail() return leaf() end
local function mid() local x = leaf() return x + 1 end
debug.sethook(function(ev)
  local info = debug.getinfo(2, "nS")
  if info.what ~= "C" then log[#log + 1] = ev .. ":" .. tostring(info.name) end
end, "cr")
mid()
tail()
debug.sethook()
print(table.concat(log, " "))
