-- error levels larger than the stack depth give messages without position
local function f(level) error("level " .. level, level) end
for _, lv in ipairs({ 1, 2, 3, 10, 100 }) do print(lv, pcall(f, lv)) end
print(pcall(error, "negative level", -1))
