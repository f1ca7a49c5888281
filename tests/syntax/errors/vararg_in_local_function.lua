local function f(a) local t = {...} end
