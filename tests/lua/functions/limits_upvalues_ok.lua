-- a closure with exactly 60 upvalues and nested closures sharing them
local s = {}
for i = 1, 60 do s[#s + 1] = "local u" .. i .. " = " .. i end
s[#s + 1] = "return function() return 0"
for i = 1, 60 do s[#s + 1] = " + u" .. i end
s[#s + 1] = " end"
local f = assert(loadstring(table.concat(s, "\n")))
print(f()())
