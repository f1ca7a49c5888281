-- pcall nested until the C stack limit
local depth = 0
local function f() depth = depth + 1; return pcall(f) end
local ok = f()
return {tostring(ok), depth}
