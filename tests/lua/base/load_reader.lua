-- load with a reader function: pieces are concatenated until nil or ""
local parts = { "return ", "1 ", "+ ", "41" }
local i = 0
local f = load(function() i = i + 1 return parts[i] end)
print(f())
local j = 0
local g = load(function() j = j + 1 if j == 1 then return "return 'a'" end return "" end, "=named")
print(g())
print(type(load(function() return nil end)))
local calls = 0
local nf = load(function() calls = calls + 1 if calls == 1 then return 1 end end)
print(type(nf), pcall(nf))
local once = 0
print(load(function() once = once + 1 if once == 1 then return "return " elseif once == 2 then return 7 end end)())
print(pcall(load, function() return {} end))
local k = 0
print(load(function() k = k + 1 if k == 1 then return "x = " end end, "=reader chunk"))
print(pcall(load))
print(pcall(load, "return 1"))
