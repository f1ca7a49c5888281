-- identifiers: underscores, digits, case sensitivity, keywords as fields
local _ = 1
local _x, x_1, X, x = 2, 3, 4, 5
local __ = 6
print(_, _x, x_1, X, x, __)
local t = {}
t["end"] = "kw"; t["and"] = 1
print(t["end"], t["and"])
local and_ = 7; local If = 8; local NIL = 9
print(and_, If, NIL)
print(loadstring("local end = 1"))
print(loadstring("local t = {} t.end = 1"))
print(loadstring("local 1x = 2"))
