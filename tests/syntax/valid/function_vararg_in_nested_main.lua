local t = {...}
local n = select('#', ...)
