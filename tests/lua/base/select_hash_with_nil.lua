-- select('#') counts trailing nils that a table constructor would lose
local function count(...) return select("#", ...), #{ ... } end
print(count())
print(count(nil))
print(count(1, nil))
print(count(nil, nil, 3))
