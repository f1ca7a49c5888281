-- iterating ARGV with ipairs
--! args: x y z
local out = {}
for i, v in ipairs(ARGV) do out[i] = i .. "=" .. v end
return out
