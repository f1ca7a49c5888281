-- missing arguments are nil, extra arguments are dropped, parameters are locals
local function f(a, b, c) return a, b, c end
print(f(1))
print(f(1, 2, 3, 4))
local function g(a) a = a or "default" return a end
print(g(), g(false), g(0))
local function h(a, a2) return a, a2 end
print(h("x"))
local function modify(t) t.changed = true; t = nil end
local tbl = {}
modify(tbl)
print(tbl.changed)
local function sum(...) local s = 0 for i = 1, select("#", ...) do s = s + (select(i, ...)) end return s end
print(sum(1, 2, 3, 4, 5))
