-- the readonly error of a global assignment, caught
local ok, e = pcall(function() newglobal = 1 end)
return {tostring(ok), e}
