-- the readonly error on a library table, caught, with its position
local ok, e = pcall(function() string.x = 1 end)
return {tostring(ok), e}
