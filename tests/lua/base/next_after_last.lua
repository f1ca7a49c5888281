-- next returns nil after the last key and accepts nil to start
local t = { "a", "b", x = 1 }
local k, n = nil, 0
repeat k = next(t, k) n = n + 1 until k == nil
print(n)
print(next({}, nil), next({ 5 }, nil))
