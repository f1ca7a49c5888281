-- unbounded recursion raises a catchable "stack overflow" error and the state stays usable
local function recurse() return 1 + recurse() end
local ok, e = pcall(recurse)
print(ok, type(e), string.find(e, "stack overflow", 1, true) ~= nil)
local function recurse2(n) local t = { n } return recurse2(n + 1)[1] end
ok, e = pcall(recurse2, 1)
print(ok, string.find(e, "stack overflow", 1, true) ~= nil)
print("still alive", pcall(function() return 1 end))
local depth = 0
local function count() depth = depth + 1 count() end
pcall(count)
print(depth > 1000)
