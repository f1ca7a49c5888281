-- the type of every allowed global
local names = {"ARGV", "KEYS", "_G", "_VERSION", "assert", "bit", "cjson", "cmsgpack",
  "collectgarbage", "coroutine", "error", "gcinfo", "getmetatable", "ipairs", "load",
  "loadstring", "math", "next", "pairs", "pcall", "rawequal", "rawget", "rawset", "redis",
  "select", "setmetatable", "string", "struct", "table", "tonumber", "tostring", "type",
  "unpack", "xpcall"}
local out = {}
for i, n in ipairs(names) do out[i] = n .. "=" .. type(_G[n]) end
return out
