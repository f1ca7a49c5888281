-- String methods through SELF (s:m()), with the strings' metatable's
-- __index replaced by a table with its own __index, by a function, and
-- restored: the fast path for the string library must give way to each.
local s = "hello world"
print(s:upper(), s:sub(2, 4), ("%d-%s"):format(7, "x"), s:len())
local mt = getmetatable("")
local old = mt.__index
mt.__index = setmetatable({ shout = function(x) return x:upper() .. "!" end }, { __index = old })
print(s:shout(), s:rep(2), pcall(function() return s:nosuch() end))
mt.__index = function(str, k) return function() return k .. "#" .. #str end end
print(s:anything(), s:upper())
mt.__index = old
print(s:upper())
