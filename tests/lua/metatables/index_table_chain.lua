-- __index tables form inheritance chains; raw fields take precedence
local base = { a = "base a", b = "base b", c = "base c" }
local mid = setmetatable({ b = "mid b" }, { __index = base })
local top = setmetatable({ c = "top c" }, { __index = mid })
print(top.a, top.b, top.c, top.d)
print(rawget(top, "a"), rawget(top, "c"))
base.d = "added later"
print(top.d)
mid.a = "mid a"
print(top.a)
top.a = "own a"
print(top.a, mid.a, base.a)
