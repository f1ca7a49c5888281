-- SCRIPT FLUSH between scripts that keep metatables and closures around (CVE-2024-46981)
--! cmd: EVAL local\st\s=\s{}\sfor\si=1,1000\sdo\st[i]\s=\ssetmetatable({},\s{__index=function()\sreturn\si\send})\send\sreturn\s#t 0
--! cmd: SCRIPT FLUSH
--! cmd: EVAL collectgarbage()\sreturn\scollectgarbage() 0
--! eval
local t = setmetatable({}, {__mode = "k"})
for i = 1, 100 do t[{}] = i end
collectgarbage()
local n = 0
for _ in pairs(t) do n = n + 1 end
return n
