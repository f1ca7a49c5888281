-- the nonexistent-global error can be caught
local ok, e = pcall(function() return os end)
return {tostring(ok), e}
