local a, b = ...
local c = ...
local d = (...)
local t = {...}
local t2 = {..., 1}
local t3 = {1, ...}
local t4 = {(...)}
print(...)
print((...))
print(..., 1)
print(1, ...)
local n = select('#', ...)
local function f(...) return ... end
local function g(x, ...) local y = ... return x, ... end
local function h(...) return arg end
local function k(...) local arg = 1; return ... end
local function m(...) return select(2, ...) end
local function o(a, b, ...) a, b = ...; return end
local function q(...) local x, y, z = ..., ... return x end
local function r(...) return (...), ... end
local function s(...) t = {n = select('#', ...), ...} end
return f(...)
