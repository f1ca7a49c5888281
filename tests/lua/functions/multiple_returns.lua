-- multiple results are adjusted: truncated, padded with nil, expanded only in the last position
local function three() return 1, 2, 3 end
local function none() end
print(three())
print(three(), "x")
print("x", three())
print((three()))
print(none())
print(none(), "after none")
print(#{ none() }, #{ none(), 1 })
local a, b, c, d = three()
print(a, b, c, d)
local t = { three(), three() }
print(#t)
print(string.format("%d %d %d", three()))
print(math.max(three()), math.max(three(), 10))
print(select("#", none()), select("#", (none())))
