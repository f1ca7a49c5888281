-- __call makes tables callable; the table comes first, then the arguments
local callable = setmetatable({ name = "c" }, { __call = function(self, a, b) return self.name, a, b end })
print(callable(1, 2))
print(callable())
print(pcall(callable, "via pcall"))
local multi = setmetatable({}, { __call = function(_, ...) return select("#", ...), ... end })
print(multi(nil, nil, 3))
local obj = { f = callable }
print(obj.f("field"))
local r1, r2, r3 = obj:f("method")
print(r1, r2 == obj, r3)
local function tail() return callable("tail") end
print(tail())
local t = { callable "string arg" }
print(t[1], t[2])
