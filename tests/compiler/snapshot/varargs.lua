local function pack(...) return {n = select("#", ...), ...} end
local function first(x, ...) return x end
local function old(...) return arg end
local a, b = ...
return pack(a, b, ...)
