local function f(...) local arg = select("#", ...) return arg end
