-- the right operand of and/or is evaluated only when needed
local calls = {}
local function mark(name, v) calls[#calls + 1] = name; return v end
local r1 = mark("a", false) and mark("b", true)
local r2 = mark("c", true) or mark("d", true)
local r3 = mark("e", nil) or mark("f", 1) and mark("g", 2)
local r4 = mark("h", 1) and mark("i", false) or mark("j", "x")
print(r1, r2, r3, r4)
print(table.concat(calls, " "))
local t = nil
print(t and t.x, t == nil or t.x)
