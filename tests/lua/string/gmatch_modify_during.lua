-- a gmatch iterator keeps its own position; the subject string is immutable
local s = "one two three"
local it = s:gmatch("%a+")
local first = it()
s = "changed"
print(first, it(), it(), it())
local it2 = ("a1b2"):gmatch("(%a)(%d)")
print(it2())
print(it2())
print(it2())
