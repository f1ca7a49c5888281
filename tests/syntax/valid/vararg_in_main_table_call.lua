f{...}
local t = {..., n = select("#", ...)}
