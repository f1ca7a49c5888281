-- bytecode of a function with upvalues is refused by loadstring
local up = 5
local f = function() return up end
return {select(2, loadstring(string.dump(f)))}
