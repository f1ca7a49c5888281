-- calling an absent function names the global
local ok, e = pcall(function() print("x") end)
return e
