-- weak tables are emptied by a full collection
local t = setmetatable({}, {__mode = "v"})
for i = 1, 100 do t[i] = {} end
collectgarbage()
collectgarbage()
local n = 0
for _ in pairs(t) do n = n + 1 end
return n
