-- table constructors: positional, keyed, computed keys, trailing separators, multret expansion
local function three() return 1, 2, 3 end
local t = { 10, 20, x = "x", [1 + 2] = 30, ["y z"] = 5; 40, }
print(t[1], t[2], t[3], t.x, t["y z"], #t)
local a = { three() }
local b = { three(), three() }
local c = { three(), 9 }
local d = { (three()) }
print(#a, #b, #c, #d, b[4], c[2])
local e = { [1] = "a", "b" }
print(e[1])
local f = { "first", [1] = "second" }
print(f[1])
print(loadstring("return {;}"), loadstring("return {,}"))
print(#{ n = 1, 1, 2, [3] = 3 })
local h = { [1.0] = "one", [2] = "two" }
print(h[1], h[2.0])
print(pcall(function() return { [nil] = 1 } end))
print(pcall(function() return { [0/0] = 1 } end))
