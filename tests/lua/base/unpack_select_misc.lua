-- unpack with nil holes and select with negative indices together
local t = { 1, nil, 3, n = 3 }
print(unpack(t, 1, t.n))
print(select(-2, unpack(t, 1, t.n)))
print(select("#", unpack({}, 1, 5)))
local function pack(...) return { n = select("#", ...), ... } end
local p = pack(nil, 2, nil)
print(p.n, p[1], p[2], p[3])
print(unpack(p, 1, p.n))
