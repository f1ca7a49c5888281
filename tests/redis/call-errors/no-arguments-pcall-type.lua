-- redis.pcall() with no arguments: is the error raised or returned?
local ok, r = pcall(redis.pcall)
return {tostring(ok), type(r), type(r) == "table" and r.err or r}
