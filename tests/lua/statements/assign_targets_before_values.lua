-- multiple assignment: table and key expressions of every target are taken
-- before any value is stored, even when a target variable is itself assigned
local t, k, u, n
t = {"p", "q"}; k = 1; n = 2; u = t
k, t[k], t, n, t[n], t[k + n] = n, k, k, u, n, k
print(k, u[1], t, n == u, u[2], u[3])

local x = {}
local y = {}
local a = x
a, a.f, a = y, "first", nil
print(a == y, a == x, x.f, y.f)

local i = 1
local list = {10, 20, 30}
i, list[i], list[i + 1] = i + 1, list[i + 1], list[i]
print(i, list[1], list[2], list[3])

local up = {}
local function get() return up end
get().v, up = 5, {v = 0}
print(up.v)
