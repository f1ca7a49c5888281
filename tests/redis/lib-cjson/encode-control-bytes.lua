-- every control byte and DEL
local t = {}
for i = 0, 31 do t[#t + 1] = string.char(i) end
t[#t + 1] = "\127"
return cjson.encode(table.concat(t))
