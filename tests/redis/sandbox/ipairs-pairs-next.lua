-- ipairs and next over an array
local t = {"a", "b", "c"}
local out = {}
for i, v in ipairs(t) do out[#out + 1] = i .. v end
out[#out + 1] = tostring(next({}))
return out
