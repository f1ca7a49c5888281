-- load of bytecode through a reader function is refused
local code = string.dump(function() return 1 end)
local done = false
local f, e = load(function() if done then return nil end; done = true; return code end)
return {tostring(f), e}
