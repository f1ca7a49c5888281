-- cjson: encoding 100000 nested tables with the depth limit raised
cjson.encode_max_depth(1000000)
local t = {}
for i = 1, 100000 do t = {t} end
return {pcall(cjson.encode, t)}
