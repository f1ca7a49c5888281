-- a 10000-element array
local t = cjson.decode("[" .. string.rep("1,", 9999) .. "1]")
return #t
