-- the error value of a runtime error is a string
local ok, e = pcall(function() local x; return x.y end)
return {type(e), e}
