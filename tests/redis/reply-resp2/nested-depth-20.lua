-- twenty levels of nested arrays
local t = {"bottom"}
for i = 1, 19 do t = {t} end
return t
