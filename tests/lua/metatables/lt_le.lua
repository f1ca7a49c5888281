-- __lt and __le; __le falls back to not __lt(b, a) when absent
local log = {}
local function n(v, mt) return setmetatable({ v = v }, mt) end
local both = { __lt = function(a, b) log[#log + 1] = "lt" return a.v < b.v end,
               __le = function(a, b) log[#log + 1] = "le" return a.v <= b.v end }
local a, b = n(1, both), n(2, both)
print(a < b, a <= b, a > b, a >= b, b <= a)
print(table.concat(log, " "))
log = {}
local only_lt = { __lt = function(x, y) log[#log + 1] = "lt(" .. x.v .. "," .. y.v .. ")" return x.v < y.v end }
local c, d = n(3, only_lt), n(4, only_lt)
print(c <= d, d <= c, c >= d, c <= c)
print(table.concat(log, " "))
