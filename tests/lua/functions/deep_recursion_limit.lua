-- non-tail recursion a few thousand levels deep works; unbounded recursion is caught
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(5000), depth(15000))
local function sum(t, i) if i > #t then return 0 end return t[i] + sum(t, i + 1) end
local t = {}
for i = 1, 8000 do t[i] = i end
print(sum(t, 1))
local ok, e = pcall(depth, 1e7)
print(ok, (tostring(e):find("stack overflow", 1, true)) ~= nil)
