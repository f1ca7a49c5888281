-- select with negative indices picks from the end of the varargs
local function last(...) return (select(-1, ...)) end
local function last2(...) return select(-2, ...) end
print(last(1, 2, 3), last("only"), last(nil, false))
print(last2(1, 2, 3), last2("a", "b"))
print(pcall(last))
print(pcall(last2, 1))
