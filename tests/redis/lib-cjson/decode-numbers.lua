-- number syntax accepted by decode
local t = cjson.decode('[1e2, -0, 0.1, 1E-2, 123456789012345678901234567890, -1.5e+3]')
local out = {}
for i, v in ipairs(t) do out[i] = string.format("%.17g", v) end
return out
