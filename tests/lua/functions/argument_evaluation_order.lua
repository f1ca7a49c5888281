-- arguments and table constructor fields are evaluated left to right
local log = {}
local function v(x) log[#log + 1] = x return x end
local function f(...) return select("#", ...) end
f(v(1), v(2), v(3))
local t = { v(4), v(5), k = v(6), [v(7)] = v(8) }
local s = v("a") .. v("b") .. v("c")
local n = v(9) + v(10) * v(11)
print(table.concat(log, " "))
