-- pcall catches error() and returns the message with its position
local ok, e = pcall(error, "caught")
local ok2, e2 = pcall(function() error("caught2") end)
return {tostring(ok), e, tostring(ok2), e2}
