-- __call forwards any number of arguments and results, including nils
local f = setmetatable({}, { __call = function(self, ...) return select("#", ...), ... end })
print(f())
print(f(nil))
print(f(1, nil, 3, nil))
local g = setmetatable({}, { __call = function(self, a) return f(a, a) end })
print(g("x"))
print(pcall(g, "y"))
