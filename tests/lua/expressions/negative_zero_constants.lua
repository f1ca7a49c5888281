-- 5.1 keeps one constant slot for 0 and -0 per function: whichever appears first wins
local function first_neg() return -0.0, 0 end
local function first_pos() return 0, -0.0 end
local a, b = first_neg()
print("neg first", a, b, 1 / a, 1 / b)
local c, d = first_pos()
print("pos first", c, d, 1 / c, 1 / d)
local function folded() local one = 1 return one / (0 * -1) end
print("folded", folded())
local function computed(z) return -z end
print("computed", computed(0), 1 / computed(0))
local function str() return tostring(-0.0) end
print("tostring", str())
print("format", string.format("%g", -(0)))
