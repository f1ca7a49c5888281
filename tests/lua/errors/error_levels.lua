-- error levels: 0 adds no position, 1 the erroring function, 2 its caller, and so on
local function lvl(n) error("msg level " .. n, n) end
local function caller(n) lvl(n) end
local function top(n) caller(n) end
for n = 0, 4 do print(n, pcall(top, n)) end
print(pcall(error, "direct"))
print(pcall(error, "direct level 2", 2))
local function noarg() error("default level") end
print(pcall(noarg))
