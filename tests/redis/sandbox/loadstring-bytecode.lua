-- loadstring of precompiled bytecode is refused
local f, e = loadstring(string.dump(function() return 1 end))
return {tostring(f), e}
