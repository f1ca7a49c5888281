-- coroutines nested until the C stack limit
local depth = 0
local function f() depth = depth + 1; return coroutine.wrap(f)() end
local ok, e = pcall(f)
return {tostring(ok), depth, #e}
