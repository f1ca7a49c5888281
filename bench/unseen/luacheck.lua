-- luacheck: lint library sources
local luacheck = require "luacheck"
local srcs = {}
for _, name in ipairs { "dkjson", "markdown", "MessagePack", "inspect", "binaryheap" } do
  local path = package.searchpath and package.searchpath(name, package.path)
  if not path then
    for p in package.path:gmatch("[^;]+") do
      local c = p:gsub("%?", name)
      local f = io.open(c) if f then f:close() path = c break end
    end
  end
  local f = assert(io.open(path))
  srcs[#srcs + 1] = f:read("*a")
  f:close()
end
local total = 0
for r = 1, 8 do
  local report = luacheck.check_strings(srcs)
  total = total + report.warnings + report.errors
  for _, fr in ipairs(report) do total = total + #fr end
end
print("luacheck", total)
