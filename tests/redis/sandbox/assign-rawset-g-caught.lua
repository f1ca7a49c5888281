-- the readonly error of rawset can be caught
local ok, e = pcall(rawset, _G, "z", 3)
return {tostring(ok), e}
