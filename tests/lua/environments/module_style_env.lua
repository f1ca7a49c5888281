-- the old module style: a chunk that writes its functions into a private environment
local M = setmetatable({}, { __index = _G })
local chunk = loadstring([[
  local count = 0
  function inc() count = count + 1 return count end
  function get() return count end
  VERSION = "1.0"
]])
setfenv(chunk, M)
chunk()
print(M.inc(), M.inc(), M.get(), M.VERSION, rawget(_G, "inc"), rawget(_G, "VERSION"))
