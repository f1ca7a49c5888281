-- beyond 16 levels of nesting, tables are packed as nil
local t = {"leaf"}
for i = 1, 20 do t = {t} end
return cmsgpack.pack(t)
